import { CspLda } from '../classify';
import type { Epoch } from '../classify/types';
import { EegStreamProcessor, epochSession, MarkerAligner, type ActiveModel, type ProcessorOutput, type StreamChunk } from './index';

const FS = 160;
const CH = ['C3', 'Cz', 'C4', 'Fc3', 'Fc4', 'Cp3', 'Cp4', 'Pz'];
const T0 = 1_800_000_000_000_000;

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Noise plus a 12 Hz rhythm on C3 during 'left' trials and on C4 during 'right' trials; cues every 4 s. */
function recording(seconds: number, seed = 1): { channels: Float32Array[]; cues: { timeUs: number; code: string }[] } {
  const rnd = seeded(seed);
  const n = seconds * FS;
  const channels = CH.map(() => new Float32Array(n));
  const cues: { timeUs: number; code: string }[] = [];
  for (let t = 2; t + 4 <= seconds; t += 4) cues.push({ timeUs: T0 + t * 1e6, code: (t / 4) % 2 < 1 ? 'cue_left' : 'cue_right' });
  for (let i = 0; i < n; i++) {
    const s = i / FS;
    const cue = cues.find((c) => s >= (c.timeUs - T0) / 1e6 && s < (c.timeUs - T0) / 1e6 + 3);
    for (let c = 0; c < CH.length; c++) {
      let v = 10 * (rnd() - 0.5) + 5 * Math.sin(2 * Math.PI * 10 * s + c);
      if (cue && ((cue.code === 'cue_left' && c === 0) || (cue.code === 'cue_right' && c === 2))) v += 20 * Math.sin(2 * Math.PI * 12 * s);
      channels[c][i] = v;
    }
  }
  return { channels, cues };
}

/** Chunks [from, to) of a recording, channel-major like the wire. */
function chunk(channels: Float32Array[], from: number, to: number): StreamChunk {
  const n = to - from;
  const samples = new Float32Array(channels.length * n);
  channels.forEach((ch, c) => samples.set(ch.subarray(from, to), c * n));
  return { t0Us: T0 + Math.round((from * 1e6) / FS), nSamples: n, samples };
}

function chunked(channels: Float32Array[], sizes: () => number): StreamChunk[] {
  const out: StreamChunk[] = [];
  for (let pos = 0; pos < channels[0].length; ) {
    const to = Math.min(channels[0].length, pos + sizes());
    out.push(chunk(channels, pos, to));
    pos = to;
  }
  return out;
}

function run(p: EegStreamProcessor, chunks: StreamChunk[]): ProcessorOutput {
  const all: ProcessorOutput = { predictions: [], bandPowers: [], quality: [], restarted: false };
  for (const c of chunks) {
    const o = p.push(c);
    all.predictions.push(...o.predictions);
    all.bandPowers.push(...o.bandPowers);
    all.quality.push(...o.quality);
    all.restarted ||= o.restarted;
  }
  return all;
}

function trainModel(id: string, version: number, seconds = 80): ActiveModel {
  const rec = recording(seconds, 7);
  const s = epochSession([chunk(rec.channels, 0, rec.channels[0].length)], rec.cues, { fsHz: FS, nChannels: CH.length });
  const clf = new CspLda({ meta: { channels: CH, fsHz: FS, bands: [[8, 30]], window: { tminS: 0.5, tmaxS: 2.5 } }, nComponents: 4 }).fit(s.epochs, s.labels);
  return { id, version, classifier: clf };
}

describe('EegStreamProcessor', () => {
  const model = trainModel('m1', 1);
  const rec = recording(40, 3);

  it('gives the same predictions, band powers and quality for one chunk as for many of any size', () => {
    const one = new EegStreamProcessor({ channels: CH, fsHz: FS });
    one.setModel(model);
    const whole = run(one, [chunk(rec.channels, 0, rec.channels[0].length)]);
    const rnd = seeded(11);
    const many = new EegStreamProcessor({ channels: CH, fsHz: FS });
    many.setModel(model);
    const pieces = run(many, chunked(rec.channels, () => Math.floor(rnd() * 50)));
    // 40 s, 2 s windows every 0.25 s: windows end at 320, 360, ..., 6400 samples.
    expect(whole.predictions).toHaveLength((6400 - 320) / 40 + 1);
    expect(pieces.predictions).toEqual(whole.predictions);
    expect(pieces.bandPowers).toEqual(whole.bandPowers);
    expect(pieces.quality).toEqual(whole.quality);
    expect(whole.bandPowers).toHaveLength(40); // every second of data
    expect(whole.bandPowers[0]).toMatchObject({ endSample: 159, timeUs: T0 + 159 * 6250 });
    const p = whole.predictions[0];
    expect(p).toMatchObject({ windowIndex: 0, windowStartSample: 0, windowEndSample: 319, windowEndUs: T0 + 319 * 6250, modelId: 'm1', modelVersion: 1, classes: ['left', 'right'] });
    expect(p.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('classifies the simulated trials better than chance', () => {
    const p = new EegStreamProcessor({ channels: CH, fsHz: FS });
    p.setModel(model);
    const out = run(p, chunked(rec.channels, () => 16));
    const aligner = new MarkerAligner();
    for (const c of rec.cues) aligner.addMarker(c);
    for (const pr of out.predictions) aligner.addPrediction(pr);
    expect(aligner.summary.total).toBe(rec.cues.length);
    expect(aligner.summary.accuracy!).toBeGreaterThan(0.8);
  });

  it('swaps models between windows: every window index once, in order, none lost', () => {
    const model2 = trainModel('m2', 2, 60);
    const p = new EegStreamProcessor({ channels: CH, fsHz: FS });
    const ref2 = new EegStreamProcessor({ channels: CH, fsHz: FS });
    ref2.setModel(model2);
    const chunks = chunked(rec.channels, () => 16);
    const preds: ProcessorOutput['predictions'] = [];
    const ref: ProcessorOutput['predictions'] = [];
    chunks.forEach((c, k) => {
      if (k === 30) p.setModel(model);
      if (k === 101) p.setModel(model2); // mid-window: 101 * 16 samples is not on the 40-sample grid
      preds.push(...p.push(c).predictions);
      ref.push(...ref2.push(c).predictions);
    });
    const idx = preds.map((q) => q.windowIndex);
    expect(idx).toEqual(Array.from({ length: idx.length }, (_, i) => idx[0] + i));
    expect(idx[0]).toBe(Math.ceil((30 * 16 - 320 + 1) / 40)); // the first window to close after activation
    const firstOf2 = preds.findIndex((q) => q.modelId === 'm2');
    expect(preds.slice(0, firstOf2).every((q) => q.modelId === 'm1')).toBe(true);
    expect(preds.slice(firstOf2).every((q) => q.modelId === 'm2')).toBe(true);
    expect(preds[firstOf2].windowEndSample).toBeGreaterThanOrEqual(101 * 16);
    expect(preds[firstOf2 - 1].windowEndSample).toBeLessThan(101 * 16);
    // After the swap the predictions are exactly those of a processor that had model 2 all along.
    expect(preds.slice(firstOf2)).toEqual(ref.filter((q) => q.windowIndex >= preds[firstOf2].windowIndex));
    // Windows keep coming without a model, just without predictions.
    p.setModel(null);
    expect(p.push(chunk(rec.channels, 0, 80)).predictions).toEqual([]);
  });

  it('CSP+LDA windows take the per-sample spatial-filter path and give the same bits as predictProba on the window', () => {
    const clf = model.classifier as CspLda;
    expect(clf.spatialPowerModel()).not.toBeNull();
    // The same classifier without its spatial-power view goes through predictProba on each window.
    const plain: ActiveModel = { id: 'm1', version: 1, classifier: { classes: clf.classes, meta: clf.meta, predictProba: (e: Epoch) => clf.predictProba(e) } };
    const perSample: ActiveModel = {
      id: 'm1',
      version: 1,
      classifier: { classes: clf.classes, meta: clf.meta, spatialPowerModel: () => clf.spatialPowerModel(), predictProba: () => { throw new Error('the window path was taken'); } },
    };
    const fast = new EegStreamProcessor({ channels: CH, fsHz: FS });
    const slow = new EegStreamProcessor({ channels: CH, fsHz: FS });
    slow.setModel(plain);
    const chunks = chunked(rec.channels, () => 16);
    const a: ProcessorOutput['predictions'] = [];
    const b: ProcessorOutput['predictions'] = [];
    chunks.forEach((c, k) => {
      if (k === 57) fast.setModel(perSample); // mid-stream: the path is primed from the filtered history
      a.push(...fast.push(c).predictions);
      b.push(...slow.push(c).predictions);
    });
    expect(a.length).toBeGreaterThan(100);
    expect(a).toEqual(b.filter((q) => q.windowIndex >= a[0].windowIndex));
  });

  it('takes the window length from the model meta and refuses models that do not fit', () => {
    const p = new EegStreamProcessor({ channels: CH, fsHz: FS, windowSec: 1 });
    const long: ActiveModel = { id: 'w3', version: 1, classifier: { classes: ['a', 'b'], meta: { channels: ['Cz', 'C3'], fsHz: FS, bands: [[8, 30]], window: { windowSec: 3 } }, predictProba: (e: Epoch) => Float64Array.of(e.nSamples, e.nChannels) } };
    p.setModel(long);
    const out = run(p, [chunk(rec.channels, 0, 4 * FS)]);
    // 1 s grid, step 40: windows end at 160, 200, ...; only those with 3 s behind them are classified.
    expect(out.predictions[0]).toMatchObject({ windowIndex: (480 - 160) / 40, windowStartSample: 0, windowEndSample: 479, probabilities: [480, 2] });
    expect(() => p.setModel({ ...long, classifier: { ...long.classifier, meta: { ...long.classifier.meta!, channels: ['O1'] } } })).toThrow(/channel O1/);
    expect(() => p.setModel({ ...long, classifier: { ...long.classifier, meta: { ...long.classifier.meta!, fsHz: 250 } } })).toThrow(/250 Hz/);
    expect(p.activeModel?.id).toBe('w3');
  });

  it('delays the first feature block by the phase it is given', () => {
    const p = new EegStreamProcessor({ channels: CH, fsHz: FS, featurePhaseSamples: 37 });
    const out = run(p, chunked(rec.channels, () => 16).slice(0, 40));
    expect(out.bandPowers.map((b) => b.endSample)).toEqual([196, 356, 516]);
    expect(out.quality.map((b) => b.endSample)).toEqual([196, 356, 516]);
  });

  it('restarts on a jump in device time', () => {
    const p = new EegStreamProcessor({ channels: CH, fsHz: FS });
    p.setModel(model);
    run(p, [chunk(rec.channels, 0, 400)]);
    const c = chunk(rec.channels, 400, 800);
    const out = p.push({ ...c, t0Us: c.t0Us + 1_000_000 });
    expect(out.restarted).toBe(true);
    expect(out.predictions[0]).toMatchObject({ windowIndex: 0, windowEndSample: 319, windowEndUs: c.t0Us + 1_000_000 + 319 * 6250 });
  });

  it('reports relative band powers from the notched signal and quality per channel', () => {
    const n = 4 * FS;
    const chs = CH.map((_, c) => Float32Array.from({ length: n }, (_, i) => (c === 1 ? 30 * Math.sin((2 * Math.PI * 50 * i) / FS) + 0.1 * Math.sin((2 * Math.PI * 10 * i) / FS) : c === 2 ? 0 : 20 * Math.sin((2 * Math.PI * 10 * i) / FS))));
    const p = new EegStreamProcessor({ channels: CH, fsHz: FS });
    const out = run(p, [chunk(chs, 0, n)]);
    const bp = out.bandPowers.at(-1)!;
    expect(bp.bands).toEqual(['delta', 'theta', 'alpha', 'beta', 'gamma']);
    expect(bp.relative[0][2]).toBeGreaterThan(0.9); // 10 Hz: alpha/mu
    const q = out.quality.at(-1)!.channels;
    expect(q[0].verdict).toBe('good');
    expect(q[1].verdict).toBe('noisy'); // mains pickup, seen in the raw signal
    expect(q[2].verdict).toBe('flat');
  });
});

describe('epochSession', () => {
  it('cuts exactly the samples the live processor classifies (same causal filter)', () => {
    const rec = recording(20, 5);
    const seen: Float64Array[] = [];
    const p = new EegStreamProcessor({ channels: CH, fsHz: FS });
    p.setModel({ id: 'spy', version: 1, classifier: { classes: ['a'], predictProba: (e: Epoch) => (seen.push(e.data.slice()), Float64Array.of(1)) } });
    run(p, chunked(rec.channels, () => 16));
    // A cue 0.5 s before the start of window j: its [0.5, 2.5) s epoch is window j.
    const j = 10;
    const cueUs = T0 + ((40 * j - 80) * 1e6) / FS;
    const s = epochSession(chunked(rec.channels, () => 16), [{ timeUs: cueUs, code: 'cue_right' }, { timeUs: T0 + 19e6, code: 'cue_left' }], { fsHz: FS, nChannels: CH.length });
    expect(s.labels).toEqual(['right']);
    expect(s.skipped).toBe(1);
    expect(Array.from(s.epochs[0].data)).toEqual(Array.from(seen[j]));
  });

  it('starts a fresh stretch at a gap in device time', () => {
    const rec = recording(10, 5);
    const chunks = chunked(rec.channels, () => 16).map((c, k) => (k >= 30 ? { ...c, t0Us: c.t0Us + 5e6 } : c));
    expect(epochSession(chunks, [], { fsHz: FS, nChannels: CH.length }).segments).toBe(2);
  });
});

describe('MarkerAligner', () => {
  const pred = (sec: number, label: string, pLeft: number) => ({ windowEndUs: T0 + sec * 1e6, label, classes: ['left', 'right'], probabilities: [pLeft, 1 - pLeft] });

  it('scores each cue by the windows ending in [cue + 0.5 s, cue + 4 s], majority or mean probability', () => {
    const majority = new MarkerAligner();
    const mean = new MarkerAligner({ decision: 'mean-probability' });
    const preds = [pred(10.4, 'right', 0.1), pred(10.5, 'left', 0.6), pred(11, 'left', 0.55), pred(12, 'right', 0.05), pred(14, 'left', 0.51), pred(14.1, 'right', 0)];
    for (const a of [majority, mean]) {
      expect(a.addMarker({ timeUs: T0 + 10e6, code: 'cue_left' })).toEqual([]);
      expect(a.addMarker({ timeUs: T0 + 10e6, code: 'text' })).toEqual([]);
    }
    const m = preds.flatMap((p) => majority.addPrediction(p));
    const n = preds.flatMap((p) => mean.addPrediction(p));
    expect(m).toHaveLength(1);
    expect(m[0]).toMatchObject({ expected: 'left', decided: 'left', correct: true, nWindows: 4, votes: { left: 3, right: 1 } });
    expect(n[0]).toMatchObject({ decided: 'right', correct: false });
    expect(n[0].meanProbabilities.left).toBeCloseTo((0.6 + 0.55 + 0.05 + 0.51) / 4, 12);
    expect(majority.summary).toMatchObject({ correct: 1, total: 1, accuracy: 1 });
    expect(mean.summary).toMatchObject({ correct: 0, total: 1, accuracy: 0 });
  });

  it('handles a marker that arrives after its predictions and ignores cues the model cannot classify', () => {
    const a = new MarkerAligner();
    for (const s of [20.5, 21, 22, 25]) a.addPrediction(pred(s, 'right', 0.2));
    const r = a.addMarker({ timeUs: T0 + 20e6, code: 'cue_right' });
    expect(r[0]).toMatchObject({ decided: 'right', correct: true, nWindows: 3 });
    const feet = a.addMarker({ timeUs: T0 + 20e6, code: 'cue_feet' });
    expect(feet[0]).toMatchObject({ decided: null, nWindows: 0 });
    expect(a.summary.total).toBe(1);
  });
});
