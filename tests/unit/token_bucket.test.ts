// The pure token bucket behind the ingest rate limit: burst, refill, independence of keys,
// out-of-order times, and memory that follows the active keys.
import { TokenBuckets } from '@bci/streams/ratelimit';

const S = 1_000_000; // µs per second

describe('TokenBuckets', () => {
  it('lets a burst through at once, then refuses until tokens refill', () => {
    const b = new TokenBuckets({ ratePerS: 10, burst: 20 });
    const at = 5 * S;
    const results = Array.from({ length: 25 }, () => b.take('hs-1', at));
    expect(results.filter(Boolean)).toHaveLength(20);
    expect(results.slice(20)).toEqual([false, false, false, false, false]);
    expect(b.take('hs-1', at + 0.05 * S)).toBe(false); // half a token
    expect(b.take('hs-1', at + 0.1 * S)).toBe(true); // one token after 100 ms at 10/s
    expect(b.take('hs-1', at + 0.1 * S)).toBe(false);
  });

  it('refills at the rate and never beyond the burst', () => {
    const b = new TokenBuckets({ ratePerS: 4, burst: 8 });
    for (let i = 0; i < 8; i++) expect(b.take('d', 0)).toBe(true);
    expect(b.available('d', 0)).toBeCloseTo(0);
    expect(b.available('d', 1 * S)).toBeCloseTo(4);
    expect(b.available('d', 100 * S)).toBe(8);
    let n = 0;
    while (b.take('d', 100 * S)) n++;
    expect(n).toBe(8);
  });

  it('a steady sender below the rate is never refused; one above it gets exactly the rate through', () => {
    const b = new TokenBuckets({ ratePerS: 20, burst: 40 });
    let okSteady = 0;
    let okFlood = 0;
    // 10 s: the steady device sends 10/s, the flooder 200/s.
    for (let t = 0; t < 10 * S; t += S / 200) {
      if (t % (S / 10) === 0 && b.take('steady', t)) okSteady++;
      if (b.take('flood', t)) okFlood++;
    }
    expect(okSteady).toBe(100);
    // burst + rate × (10 s minus the last tick) ≈ 40 + 200
    expect(okFlood).toBeGreaterThanOrEqual(238);
    expect(okFlood).toBeLessThanOrEqual(240);
  });

  it('keys are independent', () => {
    const b = new TokenBuckets({ ratePerS: 1, burst: 2 });
    expect([b.take('a', 0), b.take('a', 0), b.take('a', 0)]).toEqual([true, true, false]);
    expect([b.take('b', 0), b.take('b', 0)]).toEqual([true, true]);
  });

  it('a time earlier than the last one adds no tokens and removes none', () => {
    const b = new TokenBuckets({ ratePerS: 1, burst: 2 });
    b.take('a', 10 * S);
    b.take('a', 10 * S);
    expect(b.take('a', 5 * S)).toBe(false); // going back does not refill
    expect(b.take('a', 11 * S)).toBe(true); // and does not move the clock back either
  });

  it('forgets buckets that have refilled, so idle devices cost no memory', () => {
    const b = new TokenBuckets({ ratePerS: 10, burst: 10 });
    for (let i = 0; i < 1000; i++) b.take(`dev-${i}`, 0);
    expect(b.size).toBe(1000);
    b.take('late', 120 * S); // passes the prune interval
    expect(b.size).toBe(1);
    expect(b.available('dev-1', 120 * S)).toBe(10);
  });

  it('rejects nonsense options', () => {
    expect(() => new TokenBuckets({ ratePerS: 0, burst: 1 })).toThrow(RangeError);
    expect(() => new TokenBuckets({ ratePerS: 1, burst: 0.5 })).toThrow(RangeError);
    expect(() => new TokenBuckets({ ratePerS: NaN, burst: 1 })).toThrow(RangeError);
  });
});
