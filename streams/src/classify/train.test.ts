import { mulberry32 } from '../eval/rng';
import { classifierFromArtifact } from './fromArtifact';
import { NestedCvSelect } from './nestedSelect';
import { Ensemble } from './ensemble';
import { TangentSpaceLr } from './tangentSpaceLr';
import { CspLda } from './cspLda';
import { trainClassifier } from './train';
import type { Epoch } from './types';
import { Fnv1a64 } from './fingerprint';

// Two classes differing in the variance of one latent source mixed into 6 channels.
function data(nTrials: number, seed: number): { epochs: Epoch[]; labels: string[] } {
  const rng = mulberry32(seed);
  const g = (): number => Math.sqrt(-2 * Math.log(Math.max(rng(), 1e-12))) * Math.cos(2 * Math.PI * rng());
  const n = 6;
  const T = 128;
  const A = Array.from({ length: n * n }, g);
  const epochs: Epoch[] = [];
  const labels: string[] = [];
  for (let k = 0; k < nTrials; k++) {
    const lab = k % 2 ? 'right' : 'left';
    const s = Array.from({ length: n * T }, g);
    for (let t = 0; t < T; t++) s[t] *= lab === 'left' ? 1.8 : 0.6;
    const x = new Float64Array(n * T);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let t = 0; t < T; t++) x[i * T + t] += A[i * n + j] * s[j * T + t];
    epochs.push({ data: x, nChannels: n, nSamples: T });
    labels.push(lab);
  }
  return { epochs, labels };
}

const meta = { channels: ['C3', 'C1', 'Cz', 'C2', 'C4', 'Pz'], fsHz: 64, bands: [[8, 30]] as [number, number][], window: { windowSec: 2 } };

describe('trainClassifier / artefacts', () => {
  const { epochs, labels } = data(40, 1);

  it.each(['csp-lda', 'ts-lr', 'mdm'] as const)('%s: CV metrics stored, artefact restores to identical predictions', (name) => {
    const clf = trainClassifier(name, epochs, labels, { meta, cvFolds: 5 });
    const a = clf.toArtifact();
    expect(a.pipeline).toBe(name);
    expect(a.meta).toEqual(meta);
    expect(a.metrics?.cvFolds).toBe(5);
    expect(a.metrics?.cvAccuracy as number).toBeGreaterThan(0.8);
    expect(a.training.classCounts).toEqual({ left: 20, right: 20 });
    const back = classifierFromArtifact(JSON.parse(JSON.stringify(a)));
    for (const e of epochs.slice(0, 5)) expect(Array.from(back.predictProba(e))).toEqual(Array.from(clf.predictProba(e)));
  });

  it('fingerprint changes with data and labels, not with refitting', () => {
    const a = new CspLda().fit(epochs, labels).toArtifact().training.hash;
    expect(new CspLda().fit(epochs, labels).toArtifact().training.hash).toBe(a);
    const flipped = labels.map((l, i) => (i === 0 ? (l === 'left' ? 'right' : 'left') : l));
    expect(new CspLda().fit(epochs, flipped).toArtifact().training.hash).not.toBe(a);
    // FNV-1a 64 test vectors
    expect(new Fnv1a64().updateString('').hex()).toBe('cbf29ce484222325');
    expect(new Fnv1a64().updateString('a').hex()).toBe('af63dc4c8601ec8c');
    expect(new Fnv1a64().updateString('foobar').hex()).toBe('85944171f73967e8');
  });

  it('nested selection picks by inner CV and records it in the artefact', () => {
    const sel = new NestedCvSelect(
      [
        { name: 'one-filter', make: () => new CspLda({ nComponents: 1 }) },
        { name: 'four-filters', make: () => new CspLda({ nComponents: 4 }) },
      ],
      { pipeline: 'csp-select' },
    ).fit(epochs, labels);
    expect(Object.keys(sel.innerScores)).toEqual(['one-filter', 'four-filters']);
    const a = sel.toArtifact();
    expect(a.metrics?.selectedCandidate).toBe(sel.chosenName);
    expect(classifierFromArtifact(a).predict(epochs[0])).toBe(sel.predict(epochs[0]));
  });

  it('ensemble averages member probabilities and round-trips', () => {
    const ens = new Ensemble('csp-ts-ensemble', () => [new CspLda(), new TangentSpaceLr()], meta).fit(epochs, labels);
    const a = JSON.parse(JSON.stringify(ens.toArtifact()));
    const back = classifierFromArtifact(a);
    const p1 = new CspLda().fit(epochs, labels).predictProba(epochs[3]);
    const p2 = new TangentSpaceLr().fit(epochs, labels).predictProba(epochs[3]);
    expect(ens.predictProba(epochs[3])[0]).toBeCloseTo((p1[0] + p2[0]) / 2, 12);
    expect(Array.from(back.predictProba(epochs[3]))).toEqual(Array.from(ens.predictProba(epochs[3])));
  });

  it.each(['csp-lda', 'ts-lr', 'mdm'] as const)('%s handles three classes', (name) => {
    // third class: a different source (index 2) boosted instead of source 0
    const rng = mulberry32(5);
    const extra = data(60, 9);
    const labels3 = extra.labels.map((l, i) => (i % 3 === 2 ? 'rest' : l));
    extra.epochs.forEach((e, i) => {
      if (labels3[i] !== 'rest') return;
      for (let t = 0; t < e.nSamples; t++) e.data[2 * e.nSamples + t] *= 3 + rng();
    });
    const clf = trainClassifier(name, extra.epochs, labels3, { meta, cvFolds: 3 });
    expect(clf.classes).toEqual(['left', 'rest', 'right']);
    const p = clf.predictProba(extra.epochs[0]);
    expect(p.length).toBe(3);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(clf.metrics?.cvAccuracy as number).toBeGreaterThan(0.6); // chance 1/3
  });
});
