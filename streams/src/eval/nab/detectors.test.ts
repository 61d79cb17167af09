import { stagerAlertDetector, stagerPercentileDetector, stagerStageDetector, zToScore } from './fieldDetector';
import { compositeDetector, makeFeature, TrailingMax } from './improvedDetector';

const MIN = 60_000;
const ts = (n: number): number[] => Array.from({ length: n }, (_, i) => i * MIN);
/** Alternating 10/12 baseline with one spike at `at`. */
const series = (n: number, at: number, spike: number): number[] => Array.from({ length: n }, (_, i) => (i === at ? spike : i % 2 ? 12 : 10));

describe('field detectors', () => {
  it('zToScore is monotone and puts the stage boundaries at fixed scores', () => {
    expect(zToScore(0)).toBe(0.5);
    expect(zToScore(1.2815515655446004)).toBeCloseTo(0.5794, 4); // p = 90
    expect(zToScore(2.3263478740408408)).toBeCloseTo(0.641, 3); // p = 99
    expect(zToScore(8)).toBeLessThan(zToScore(40));
    expect(zToScore(Infinity)).toBe(1);
    expect(zToScore(NaN)).toBe(0);
  });

  it('score 0 while warming up, high score on the spike, percentile ordering preserved', () => {
    const v = series(200, 150, 30);
    const s = stagerPercentileDetector({ minPoints: 60 })(ts(200), v);
    expect(Array.from(s.slice(0, 60)).every((x) => x === 0)).toBe(true);
    expect(s[150]).toBeGreaterThan(0.95);
    expect(Math.max(...Array.from(s).filter((_, i) => i !== 150))).toBeLessThan(s[150]!);
  });

  it('stage detector emits stage/4', () => {
    const s = stagerStageDetector({ minPoints: 60 })(ts(200), series(200, 150, 30));
    expect(s[150]).toBe(1);
    expect(new Set(Array.from(s)).size).toBeLessThanOrEqual(5);
  });

  it('alert detector scores only incident openings/escalations', () => {
    const v = series(200, 150, 30);
    v[151] = 40; // same incident, higher value but stage already 4: no new event
    const s = stagerAlertDetector({ minPoints: 60 })(ts(200), v);
    expect(s[150]).toBe(1);
    expect(s[151]).toBe(0);
  });
});

describe('improved detector parts', () => {
  it('features are causal', () => {
    const d = makeFeature('diff');
    expect([1, 4, 9].map((v, i) => d.next(v, i))).toEqual([NaN, 3, 5]);
    const m = makeFeature('mean3');
    expect([1, 2, 3, 10].map((v, i) => m.next(v, i))).toEqual([NaN, NaN, 2, 5]);
    const lag = makeFeature('lag1'); // one hour
    const out = [0, 30, 60, 90].map((min) => lag.next(min, min * MIN));
    expect(out).toEqual([NaN, NaN, 60, 60]);
    expect(() => makeFeature('bogus')).toThrow(/unknown feature/);
  });

  it('TrailingMax keeps the max over the trailing span', () => {
    const m = new TrailingMax(3 * MIN);
    const seen: number[] = [];
    [5, 1, 3, 2, 0, 0].forEach((v, i) => {
      seen.push(m.maxBefore(i * MIN));
      m.push(i * MIN, v);
    });
    expect(seen).toEqual([-Infinity, 5, 5, 3, 3, 2]); // span is (now - 3 min, now)
  });

  it('temporal pooling keeps the onset of a sustained excursion and drops its repeats', () => {
    const n = 400;
    const v = series(n, -1, 0).map((x, i) => (i >= 300 && i < 320 ? 40 : x));
    const pooled = compositeDetector({ features: ['value'], windowsMs: [7 * 24 * 60 * MIN], stager: { minPoints: 60 }, poolMs: 60 * MIN })(ts(n), v);
    const raw = compositeDetector({ features: ['value'], windowsMs: [7 * 24 * 60 * MIN], stager: { minPoints: 60 }, poolMs: 0 })(ts(n), v);
    expect(pooled[300]).toBeGreaterThan(0.9);
    const high = (s: Float64Array) => Array.from(s.slice(300, 320)).filter((x) => x > 0.8).length;
    expect(high(raw)).toBeGreaterThan(5);
    expect(high(pooled)).toBe(1);
  });
});
