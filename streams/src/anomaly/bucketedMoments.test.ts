import { AnomalyStager, MINUTE_MS } from './stager';

const T0 = Date.UTC(2026, 0, 1);
const vals = Array.from({ length: 500 }, (_, i) => 50 + 10 * Math.sin(i / 7) + ((i * 37) % 11));

function exactStats(xs: number[]): { mean: number; std: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
  return { mean, std: Math.sqrt(v) };
}

describe('bucketed baseline (bucketMs > 0)', () => {
  it('fits mean/std over whole live buckets exactly', () => {
    // 60-minute window, 10-minute buckets, one reading a minute.
    const s = new AnomalyStager({ windowMs: 60 * MINUTE_MS, bucketMs: 10 * MINUTE_MS, minPoints: 5, maxPoints: 10_000 });
    for (let i = 0; i < 300; i++) s.update(T0 + i * MINUTE_MS, vals[i]!);
    // Next reading at minute 300 evicts buckets ending ≤ minute 240: buckets
    // starting at 240, 250, …, 290 stay → readings 240..299.
    const r = s.update(T0 + 300 * MINUTE_MS, 55);
    const ex = exactStats(vals.slice(240, 300));
    expect(r.baselineSize).toBe(60);
    expect(r.center).toBeCloseTo(ex.mean, 10);
    expect(r.scale).toBeCloseTo(ex.std, 10);
  });

  it('keeps the window within one bucket of the exact one', () => {
    const exact = new AnomalyStager({ windowMs: 60 * MINUTE_MS, minPoints: 5 });
    const bucketed = new AnomalyStager({ windowMs: 60 * MINUTE_MS, bucketMs: 10 * MINUTE_MS, minPoints: 5 });
    for (let i = 0; i < 305; i++) {
      exact.update(T0 + i * MINUTE_MS, vals[i]!);
      bucketed.update(T0 + i * MINUTE_MS, vals[i]!);
    }
    expect(exact.baselineSize).toBe(60);
    expect(bucketed.baselineSize).toBeGreaterThanOrEqual(60);
    expect(bucketed.baselineSize).toBeLessThanOrEqual(70);
  });

  it('enforces the count cap by whole buckets', () => {
    const s = new AnomalyStager({ bucketMs: 10 * MINUTE_MS, maxPoints: 25, minPoints: 5 });
    for (let i = 0; i < 100; i++) s.update(T0 + i * MINUTE_MS, vals[i]!);
    expect(s.baselineSize).toBeLessThanOrEqual(25 + 10);
    expect(s.baselineSize).toBeGreaterThanOrEqual(25 - 10);
  });

  it('snapshot/restore continues identically; robust + buckets is refused', () => {
    const a = new AnomalyStager({ bucketMs: 15 * MINUTE_MS, windowMs: 120 * MINUTE_MS, minPoints: 5, twoSided: true });
    for (let i = 0; i < 200; i++) a.update(T0 + i * MINUTE_MS, vals[i]!);
    const b = AnomalyStager.restore(JSON.parse(JSON.stringify(a.snapshot())));
    for (let i = 200; i < 260; i++) expect(b.update(T0 + i * MINUTE_MS, vals[i]!)).toEqual(a.update(T0 + i * MINUTE_MS, vals[i]!));
    expect(() => new AnomalyStager({ bucketMs: MINUTE_MS * 60, robust: true })).toThrow(/robust/);
  });
});
