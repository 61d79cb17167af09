import { ContextNovelty, SpatialRange, TrailingZ, contextFeature, contextualDetector, hourOfDayResidual } from './contextDetector';
import { CONTEXTUAL_POOLED, MODES } from './modes';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** Deterministic noise (LCG) so the tests need no seed plumbing. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** 5-minute series with a daily cycle, noise, a spike and a level shift. */
function nabLike(n: number, seed = 7): { ts: number[]; vs: number[] } {
  const r = lcg(seed);
  const ts = Array.from({ length: n }, (_, i) => Date.UTC(2024, 0, 1) + i * 5 * MIN);
  const vs = ts.map((t, i) => 50 + 20 * Math.sin((2 * Math.PI * t) / (24 * HOUR)) + 3 * r() + (i === Math.floor(n * 0.6) ? 60 : 0) + (i > n * 0.8 ? 15 : 0));
  return { ts, vs };
}

describe('contextual_pooled parts', () => {
  it('ContextNovelty: a repeating pattern stops being novel, a new shape is', () => {
    const nov = new ContextNovelty(8, 4);
    const pattern = [0, 10, 20, 10];
    const out: number[] = [];
    for (let i = 0; i < 80; i++) out.push(nov.next(pattern[i % 4]!));
    expect(out[0]).toBe(0); // no context yet
    expect(out.slice(20)).toEqual(Array(60).fill(0));
    expect(nov.next(20)).toBeGreaterThan(0); // 20, 10, 20 never happened
    expect(() => new ContextNovelty(1, 4)).toThrow(RangeError);
    expect(() => new ContextNovelty(8, 1)).toThrow(RangeError);
  });

  it('TrailingZ scores against the previous rows only, with a std floor', () => {
    const z = new TrailingZ(4, 2, 0.5);
    expect(z.next(1)).toBeNaN();
    expect(z.next(1)).toBeNaN();
    expect(z.next(2)).toBeCloseTo(2, 12); // mean 1, std 0 → floor 0.5
    expect(z.next(1)).toBeCloseTo((1 - 4 / 3) / Math.max(Math.sqrt(6 / 3 - 16 / 9), 0.5), 12);
  });

  it('SpatialRange flags values beyond the running range plus tolerance', () => {
    const s = new SpatialRange(0.1);
    expect([0, 10, 5, 10.9, 12, -1.3, 3].map((v) => s.next(v))).toEqual([false, false, false, false, true, true, false]);
    expect(new SpatialRange(-1).next(1e9)).toBe(false);
  });

  it('hour-of-day residual compares with the same hour of earlier readings', () => {
    const f = hourOfDayResidual(7 * 24 * HOUR);
    const t0 = Date.UTC(2024, 0, 1);
    const daily = (t: number) => ((t / HOUR) % 24 < 12 ? 100 : 0);
    const out: number[] = [];
    for (let h = 0; h < 24 * 3; h++) out.push(f.next(daily(t0 + h * HOUR), t0 + h * HOUR));
    expect(out.slice(0, 24).every(Number.isNaN)).toBe(true);
    expect(out.slice(24)).toEqual(Array(48).fill(0));
    expect(f.next(0, t0 + 72 * HOUR + 1)).toBe(-100); // the morning plateau is missing
    expect(contextFeature('hod7').next(1, t0)).toBeNaN();
    expect(contextFeature('diff').next(1, t0)).toBeNaN(); // falls through to makeFeature
    expect(() => contextFeature('bogus')).toThrow(/unknown feature/);
  });
});

describe('contextual_pooled detector', () => {
  const detector = MODES.find((m) => m.name === 'contextual_pooled')!.detector;

  it('is registered with the documented settings', () => {
    expect(CONTEXTUAL_POOLED.features).toContain('hod7');
    expect(CONTEXTUAL_POOLED.spatialScore).toBe(10);
  });

  it('is causal: the score at t does not change when later values change', () => {
    const { ts, vs } = nabLike(2500);
    const full = detector(ts, vs);
    const r = lcg(99);
    for (const cut of [400, 1200, 1500, 2100]) {
      const changed = vs.map((v, i) => (i > cut ? v * (0.5 + r()) + 40 * r() : v));
      const s = detector(ts, changed);
      expect(Array.from(s.slice(0, cut + 1))).toEqual(Array.from(full.slice(0, cut + 1)));
      const truncated = detector(ts.slice(0, cut + 1), vs.slice(0, cut + 1));
      expect(Array.from(truncated)).toEqual(Array.from(full.slice(0, cut + 1)));
    }
  });

  it('is deterministic and keeps no state between series', () => {
    const { ts, vs } = nabLike(2000, 3);
    const a = detector(ts, vs);
    detector(nabLike(2000, 11).ts, nabLike(2000, 11).vs);
    const b = detector(ts, vs);
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('scores the spike once and high, and pools its aftermath', () => {
    const n = 2500;
    const { ts, vs } = nabLike(n);
    const s = detector(ts, vs);
    const spike = Math.floor(n * 0.6);
    expect(s[spike]).toBeGreaterThan(0.9);
    const after = Array.from(s.slice(spike + 1, spike + 36 * 12)); // 36 h of 5-minute rows
    expect(after.filter((x) => x >= s[spike]!).length).toBe(0);
  });

  it('scores 0 before anything has warmed up', () => {
    const s = contextualDetector({ ...CONTEXTUAL_POOLED, features: ['value'], stager: { twoSided: true, minPoints: 60 } })(
      Array.from({ length: 30 }, (_, i) => i * MIN),
      Array.from({ length: 30 }, (_, i) => [0, 2, 1][i % 3]!),
    );
    // Only a spatial anomaly could score this early, and 0, 2, 1, … never leaves the range its first two values set.
    expect(Array.from(s).every((x) => x === 0)).toBe(true);
  });
});
