import { Pacer, seqStartFor, sleep } from './runtime';

describe('runtime helpers', () => {
  it('sleep returns early on abort', async () => {
    const ac = new AbortController();
    const t0 = Date.now();
    const p = sleep(5_000, ac.signal);
    setTimeout(() => ac.abort(), 20);
    await p;
    expect(Date.now() - t0).toBeLessThan(1_000);
  });

  it('Pacer schedules from the start at the given speed; Infinity never waits', async () => {
    const t0 = Date.now();
    const pacer = new Pacer(10);
    await pacer.until(500); // 500 ms of device time at 10x = 50 ms
    const dt = Date.now() - t0;
    expect(dt).toBeGreaterThanOrEqual(45);
    expect(dt).toBeLessThan(500);
    const fast = new Pacer(Infinity);
    const t1 = Date.now();
    await fast.until(1e9);
    expect(Date.now() - t1).toBeLessThan(50);
    expect(() => new Pacer(0)).toThrow(RangeError);
  });

  it('seq numbers of a restarted device keep increasing', () => {
    const a = seqStartFor(1_764_000_000_000_000, 100_000);
    const b = seqStartFor(1_764_000_000_000_000 + 60e6, 100_000);
    expect(b).toBe(a + 600);
  });
});
