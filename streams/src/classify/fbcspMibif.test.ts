// FBCSP with MIBIF selection (Ang et al. 2008/2012): paired CSP filters, Parzen-MI selection of the
// k = 4 best features plus their pairs, shrinkage LDA; artefacts record the selection method.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readEdf } from '../edf';
import { mulberry32 } from '../eval/rng';
import { LEFT_RIGHT_CODES, miEpochsFromRecording } from '../eval/miData';
import { cspFeatures } from './csp';
import { FbcspLda, fbcspSelection, fitPairedCsp } from './fbcspLda';
import { classifierFromArtifact } from './fromArtifact';
import type { Epoch } from './types';

// Class c (0..K−1) boosts the variance of latent source c, mixed into 6 channels.
function synthetic(nTrials: number, K: number, seed: number): { epochs: Epoch[]; y: number[] } {
  const rng = mulberry32(seed);
  const g = (): number => Math.sqrt(-2 * Math.log(Math.max(rng(), 1e-12))) * Math.cos(2 * Math.PI * rng());
  const n = 6;
  const T = 100;
  const A = Array.from({ length: n * n }, g);
  const epochs: Epoch[] = [];
  const y: number[] = [];
  for (let k = 0; k < nTrials; k++) {
    const c = k % K;
    const s = Array.from({ length: n * T }, g);
    for (let t = 0; t < T; t++) s[c * T + t] *= 3;
    const x = new Float64Array(n * T);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let t = 0; t < T; t++) x[i * T + t] += A[i * n + j] * s[j * T + t];
    epochs.push({ data: x, nChannels: n, nSamples: T });
    y.push(c);
  }
  return { epochs, y };
}

const classMean = (f: number[], y: number[], c: number): number => {
  const v = f.filter((_, i) => y[i] === c);
  return v.reduce((a, b) => a + b, 0) / v.length;
};

describe('paired CSP (FBCSP filter pairs)', () => {
  it('two classes: first filter has the largest eigenvalue, its pair the smallest', () => {
    const { epochs, y } = synthetic(60, 2, 1);
    const csp = fitPairedCsp(epochs, y, 2, 2);
    expect(csp.filters).toHaveLength(4);
    expect(csp.pairOf).toEqual([3, 2, 1, 0]);
    const feats = epochs.map((e) => Array.from(cspFeatures(csp, e)));
    const diff = [0, 1, 2, 3].map(
      (f) =>
        classMean(
          feats.map((r) => r[f]),
          y,
          0,
        ) -
        classMean(
          feats.map((r) => r[f]),
          y,
          1,
        ),
    );
    // largest λ = most class-0 variance; smallest λ = most class-1 variance
    expect(diff[0]).toBeGreaterThan(1);
    expect(diff[3]).toBeLessThan(-1);
    expect(diff[0]).toBeGreaterThanOrEqual(diff[1]);
    expect(diff[3]).toBeLessThanOrEqual(diff[2]);
  });

  it('three classes: one block of 2m per one-vs-rest problem, pairs inside the block', () => {
    const { epochs, y } = synthetic(60, 3, 2);
    const csp = fitPairedCsp(epochs, y, 3, 1);
    expect(csp.pairOf).toEqual([1, 0, 3, 2, 5, 4]);
    expect(() => fitPairedCsp(epochs, y, 3, 4)).toThrow(/m/);
  });

  it('options: selection names, default k, even components', () => {
    expect(fbcspSelection(undefined)).toBe('anova');
    expect(fbcspSelection('anova-f')).toBe('anova');
    expect(fbcspSelection('mibif')).toBe('mibif');
    expect(() => fbcspSelection('chi2')).toThrow(/selection/);
    expect(new FbcspLda().kBest).toBe(8);
    expect(new FbcspLda({ selection: 'mibif' }).kBest).toBe(4);
    expect(() => new FbcspLda({ selection: 'mibif', nComponents: 3 })).toThrow(/even/);
  });
});

const FIX = path.join(__dirname, '../../../tests/fixtures/eeg');
function load(run: number) {
  const rec = readEdf(new Uint8Array(fs.readFileSync(path.join(FIX, `S007R${String(run).padStart(2, '0')}.edf`))));
  return miEpochsFromRecording(rec, { band: null, order: 4, padlen: 80, tminS: 0, tmaxS: 3, codes: LEFT_RIGHT_CODES });
}

describe('S007 motor imagery, FBCSP + MIBIF (cross-run 4+8 → 12)', () => {
  const [r4, r8, r12] = [4, 8, 12].map(load);
  const train = { epochs: [...r4.epochs, ...r8.epochs], labels: [...r4.labels, ...r8.labels] };
  const clf = new FbcspLda({ fsHz: 160, marginS: 0.5, selection: 'mibif' }).fit(train.epochs, train.labels);

  it('classifies left vs right fist imagery well above chance (≥ 12/15, p ≈ 0.018)', () => {
    const correct = r12.epochs.filter((e, i) => clf.predict(e) === r12.labels[i]).length;
    expect(r12.epochs).toHaveLength(15);
    expect(correct).toBeGreaterThanOrEqual(12);
  });

  it('keeps k = 4 to 8 features, whole pairs only (an even count per band)', () => {
    const a = clf.toArtifact();
    const sel = a.state.selected;
    expect(sel.length).toBeGreaterThanOrEqual(4);
    expect(sel.length).toBeLessThanOrEqual(8);
    const perBand = new Map<number, number>();
    for (const s of sel) perBand.set(s.band, (perBand.get(s.band) ?? 0) + 1);
    for (const c of perBand.values()) expect(c % 2).toBe(0);
  });

  it('artefact round trip records the selection and restores identical predictions', () => {
    const a = JSON.parse(JSON.stringify(clf.toArtifact()));
    expect(a.pipeline).toBe('fbcsp-lda');
    expect(a.params.selection).toBe('mibif');
    expect(a.params.kBest).toBe(4);
    const back = classifierFromArtifact(a) as FbcspLda;
    expect(back.selection).toBe('mibif');
    for (const e of r12.epochs) expect(Array.from(back.predictProba(e))).toEqual(Array.from(clf.predictProba(e)));
  });

  it('artefacts from before the option (no selection field, or "anova-f") load as ANOVA', () => {
    const anova = new FbcspLda({ fsHz: 160, marginS: 0.5 }).fit(train.epochs, train.labels);
    const a = anova.toArtifact();
    expect(a.params.selection).toBe('anova');
    for (const legacy of [undefined, 'anova-f']) {
      const old = JSON.parse(JSON.stringify(a));
      if (legacy === undefined) delete old.params.selection;
      else old.params.selection = legacy;
      const back = classifierFromArtifact(old) as FbcspLda;
      expect(back.selection).toBe('anova');
      expect(back.kBest).toBe(8);
      for (const e of r12.epochs.slice(0, 5)) expect(Array.from(back.predictProba(e))).toEqual(Array.from(anova.predictProba(e)));
    }
  });
});
