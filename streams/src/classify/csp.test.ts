import { fitCsp } from './csp';
import { CspLda } from './cspLda';
import type { Epoch } from './types';
import { mulberry32 } from '../eval/rng';

function gauss(rng: () => number): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

// 8 sensors = fixed random mixture of 8 unit-variance sources; source 0's amplitude is ×2 in
// class "a" and ×0.5 in class "b" (planted discriminative source).
function plantedMixture(nTrials: number, seed: number) {
  const rng = mulberry32(seed);
  const n = 8;
  const T = 200;
  const A = Array.from({ length: n * n }, () => gauss(rng));
  const epochs: Epoch[] = [];
  const labels: string[] = [];
  const sources: Float64Array[] = [];
  for (let k = 0; k < nTrials; k++) {
    const cls = k % 2 === 0 ? 'a' : 'b';
    const s = new Float64Array(n * T).map(() => gauss(rng));
    const gain = cls === 'a' ? 2 : 0.5;
    for (let t = 0; t < T; t++) s[t] *= gain;
    const x = new Float64Array(n * T);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) for (let t = 0; t < T; t++) x[i * T + t] += A[i * n + j] * s[j * T + t];
    epochs.push({ data: x, nChannels: n, nSamples: T });
    labels.push(cls);
    sources.push(s.slice(0, T));
  }
  return { epochs, labels, sources, n, T };
}

describe('CSP', () => {
  it('recovers a planted source from a mixture', () => {
    const { epochs, labels, sources, n, T } = plantedMixture(40, 3);
    const y = labels.map((l) => (l === 'a' ? 0 : 1));
    const csp = fitCsp(epochs, y, 2, { nComponents: 2 });
    // The first filter (largest |λ − 0.5|) must unmix source 0: |corr(w·x, s0)| ≈ 1 on every trial.
    const w = csp.filters[0];
    for (let k = 0; k < 5; k++) {
      const out = new Float64Array(T);
      for (let c = 0; c < n; c++) for (let t = 0; t < T; t++) out[t] += w[c] * epochs[k].data[c * T + t];
      let sxy = 0,
        sxx = 0,
        syy = 0;
      for (let t = 0; t < T; t++) {
        sxy += out[t] * sources[k][t];
        sxx += out[t] * out[t];
        syy += sources[k][t] ** 2;
      }
      expect(Math.abs(sxy / Math.sqrt(sxx * syy))).toBeGreaterThan(0.97);
    }
  });

  it('CSP+LDA separates the planted classes and handles three classes one-vs-rest', () => {
    // Same seed = same mixing matrix; train on the first 40 trials, test on the 40 after them.
    const all = plantedMixture(80, 5);
    const clf = new CspLda({ nComponents: 2 }).fit(all.epochs.slice(0, 40), all.labels.slice(0, 40));
    const test = all.epochs.slice(40);
    const acc = test.filter((e, i) => clf.predict(e) === all.labels[40 + i]).length / test.length;
    expect(acc).toBeGreaterThan(0.9);
    const three = plantedMixture(60, 9);
    const labels3 = three.labels.map((l, i) => (i % 3 === 0 ? 'c' : l));
    const clf3 = new CspLda({ nComponents: 2 }).fit(three.epochs, labels3);
    expect(clf3.classes).toEqual(['a', 'b', 'c']);
    const p = clf3.predictProba(three.epochs[0]);
    expect(p.length).toBe(3);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});
