import { mulberry32 } from '../eval/rng';
import { selectMibif, withPairs } from './featureSelection';
import { labelEntropy, mutualInformationScores, parzenBandwidth, parzenMutualInformation } from './mutualInformation';

describe('Parzen mutual information (MIBIF estimator)', () => {
  it('is 0 when both classes have the same values', () => {
    const v = [0.3, -1.2, 2.5, 0.9, 1.1];
    const x = [...v, ...v];
    const y = [...v.map(() => 0), ...v.map(() => 1)];
    expect(parzenMutualInformation(x, y, 2)).toBeCloseTo(0, 12);
  });

  it('is ≈ 0 for two large samples of the same distribution', () => {
    const rng = mulberry32(3);
    const g = (): number => Math.sqrt(-2 * Math.log(Math.max(rng(), 1e-12))) * Math.cos(2 * Math.PI * rng());
    const x = Array.from({ length: 400 }, g);
    const y = x.map((_, i) => i % 2);
    expect(parzenMutualInformation(x, y, 2)).toBeLessThan(0.02);
  });

  it('reaches H(Y) = ln 2 for perfectly separated balanced classes', () => {
    // 100 trials per class within ±0.5 of 0 and of 100: h ≈ 0.35·σ ≈ 18, separation/h ≈ 5.5, so the
    // other class's kernels weigh e^{-15} ≈ 3e-7 and the posterior is 1 to ~1e-6.
    const x = Array.from({ length: 200 }, (_, i) => (i % 2) * 100 + ((i * 37) % 100) / 100 - 0.5);
    const y = x.map((_, i) => i % 2);
    expect(labelEntropy(y, 2)).toBeCloseTo(Math.LN2, 12);
    expect(parzenMutualInformation(x, y, 2)).toBeCloseTo(Math.LN2, 4);
  });

  it('is bounded by H(Y) for unbalanced classes (1 : 3)', () => {
    const x = Array.from({ length: 16 }, (_, i) => (i < 4 ? 0 : 100) + (i % 4) / 10);
    const y = x.map((_, i) => (i < 4 ? 0 : 1));
    const hy = -(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75));
    expect(labelEntropy(y, 2)).toBeCloseTo(hy, 12);
    const mi = parzenMutualInformation(x, y, 2);
    expect(mi).toBeGreaterThan(0.5 * hy);
    expect(mi).toBeLessThanOrEqual(hy + 1e-12);
  });

  it('matches the formula by hand for two trials', () => {
    // x = [0, d]: σ = d/√2, h = (4/6)^{1/5} d/√2; each trial's posterior for its own class is
    // 1 / (1 + e^{-d²/2h²}), the same for both, so MI = ln 2 − H_b(p).
    const d = 3;
    const h = Math.pow(4 / 6, 0.2) * (d / Math.SQRT2);
    expect(parzenBandwidth([0, d])).toBeCloseTo(h, 12);
    const q = Math.exp(-(d * d) / (2 * h * h));
    const p = 1 / (1 + q);
    const expected = Math.LN2 + p * Math.log(p) + (1 - p) * Math.log(1 - p);
    expect(parzenMutualInformation([0, d], [0, 1], 2)).toBeCloseTo(expected, 12);
    // scale-free: the bandwidth follows σ
    expect(parzenMutualInformation([0, 1000 * d], [0, 1], 2)).toBeCloseTo(expected, 12);
  });

  it('constant feature → 0; works for 3 classes', () => {
    expect(parzenMutualInformation([1, 1, 1, 1], [0, 1, 0, 1], 2)).toBe(0);
    const x = Array.from({ length: 300 }, (_, i) => (i % 3) * 100 + (i % 7) / 10);
    const y = x.map((_, i) => i % 3);
    // σ grows with the class spread, so here separation/h ≈ 3.6 and the neighbours still weigh ≈ e^{-6.5}
    const mi3 = parzenMutualInformation(x, y, 3);
    expect(mi3).toBeGreaterThan(Math.log(3) - 0.03);
    expect(mi3).toBeLessThanOrEqual(Math.log(3));
  });

  it('scores columns; MIBIF selection adds each selected feature’s pair', () => {
    // 4 features, pairs (0,3), (1,2) as one CSP block of m = 2. Feature 1 separates the classes,
    // feature 3 a little, 0 and 2 not at all.
    const rng = mulberry32(9);
    const X: Float64Array[] = [];
    const y: number[] = [];
    for (let i = 0; i < 60; i++) {
      const c = i % 2;
      y.push(c);
      X.push(Float64Array.from([rng(), c * 10 + rng(), rng(), c * 0.3 + rng()]));
    }
    const mi = mutualInformationScores(X, y, 2);
    expect(mi[1]).toBeGreaterThan(0.6);
    expect(mi[1]).toBeGreaterThan(mi[3]);
    expect(mi[3]).toBeGreaterThan(mi[0]);
    const pairOf = [3, 2, 1, 0];
    expect(selectMibif(X, y, 2, 1, pairOf)).toEqual([1, 2]);
    expect(selectMibif(X, y, 2, 2, pairOf)).toEqual([0, 1, 2, 3]);
    expect(withPairs([1, 2], pairOf)).toEqual([1, 2]);
    expect(withPairs([], pairOf)).toEqual([]);
    expect(() => withPairs([0], [1, 1])).toThrow(/pair/);
  });
});
