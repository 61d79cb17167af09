import { CspLda } from '../classify';
import type { Epoch } from '../classify/types';
import { partitionOf } from '@bci/shared';
import { DevicePipelines, deviceHash, type DeviceChunk, type ModelSpec } from './DevicePipelines';
import { EegStreamProcessor } from './EegStreamProcessor';

const FS = 160;
const CH = ['C3', 'Cz', 'C4', 'Pz'];
const T0 = 1_800_000_000_000_000;
const OPTIONS = { windowSec: 2, stepSec: 0.25, notchHz: 50, lowHz: 8, highHz: 30, order: 4 };

function noise(seed: number, n: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return 20 * (s / 2 ** 32 - 0.5);
  });
}

/** A CSP+LDA artefact on random trials where 'left' has more variance on C3 and 'right' on C4. */
function spec(id: string, channels = CH): ModelSpec {
  const epochs: Epoch[] = [];
  const labels: string[] = [];
  for (let k = 0; k < 20; k++) {
    const data = Float64Array.from(noise(k + 1, channels.length * 320));
    const boost = k % 2 ? 2 : 0;
    for (let t = 0; t < 320; t++) data[boost * 320 + t] *= 3;
    epochs.push({ data, nChannels: channels.length, nSamples: 320 });
    labels.push(k % 2 ? 'right' : 'left');
  }
  const clf = new CspLda({ meta: { channels, fsHz: FS, bands: [[8, 30]], window: { tminS: 0, tmaxS: 2 } }, nComponents: 2 }).fit(epochs, labels);
  return { id, version: 1, pipeline: 'csp-lda', artifact: clf.toArtifact() };
}

function chunk(deviceId: string, seq: number, channels = CH): DeviceChunk {
  return { deviceId, seq, t0Us: T0 + seq * 100_000, fsHz: FS, channels, nSamples: 16, samples: noise(seq + 100, channels.length * 16) };
}

describe('DevicePipelines', () => {
  const m1 = spec('m1');

  it('gives each device what its own EegStreamProcessor gives, and skips chunks it has already processed', () => {
    const host = new DevicePipelines(OPTIONS);
    host.setModel('a', m1);
    const alone = new EegStreamProcessor({ channels: CH, fsHz: FS, ...OPTIONS, featurePhaseSamples: 0 });
    alone.setModel({ id: 'm1', version: 1, classifier: CspLda.fromArtifact(m1.artifact as never) });
    let hostWindows = 0;
    let aloneWindows = 0;
    for (let seq = 0; seq < 40; seq++) {
      const r = host.process(chunk('a', seq))!;
      host.process(chunk('b', seq)); // another device, interleaved, without a model
      const o = alone.push(chunk('a', seq));
      expect(r.output.predictions.map((p) => [p.windowIndex, p.label, p.probabilities])).toEqual(o.predictions.map((p) => [p.windowIndex, p.label, p.probabilities]));
      expect(r.endUs).toBe(T0 + (seq + 1) * 100_000);
      hostWindows += r.output.predictions.length;
      aloneWindows += o.predictions.length;
      // A redelivered chunk is recognised by its seq and not processed again.
      expect(host.process(chunk('a', seq))).toBeNull();
    }
    expect(hostWindows).toBe(aloneWindows);
    expect(hostWindows).toBe(9); // 4 s of data: windows end at 2 s, 2.25 s, … 4 s
    expect(host.process(chunk('b', 40))!.output.predictions).toEqual([]);
  });

  it('refuses a model that does not fit the live stream and keeps the old one', () => {
    const host = new DevicePipelines(OPTIONS);
    host.setModel('a', m1);
    for (let seq = 0; seq < 20; seq++) host.process(chunk('a', seq));
    const other = spec('m2', ['O1', 'O2', 'Oz', 'Pz']);
    expect(() => host.setModel('a', other)).toThrow(/channel O1/);
    const r = host.process(chunk('a', 20))!;
    expect(r.output.predictions.every((p) => p.modelId === 'm1')).toBe(true);
    expect(() => host.setModel('a', { ...m1, artifact: { pipeline: 'nope' } })).toThrow();
    expect(host.hasModel('a')).toBe(true);
  });

  it('a model set before the stream starts applies to it; a layout it does not fit runs without it and says why', () => {
    const warnings: string[] = [];
    const host = new DevicePipelines(OPTIONS, (m) => warnings.push(m));
    host.setModel('a', spec('m2', ['O1', 'O2', 'Oz', 'Pz']));
    expect(warnings).toEqual([]);
    const r = host.process(chunk('a', 0))!;
    expect(r.output.predictions).toEqual([]);
    expect(warnings).toEqual([expect.stringMatching(/device a: active model m2 does not fit/)]);
    host.setModel('c', m1);
    let n = 0;
    for (let seq = 0; seq < 25; seq++) n += host.process(chunk('c', seq))!.output.predictions.length;
    expect(n).toBeGreaterThan(0);
  });

  it('a new channel layout restarts the device with a new processor (the model follows by channel name)', () => {
    const host = new DevicePipelines(OPTIONS);
    host.setModel('a', m1);
    const count = (from: number, to: number, channels = CH) => {
      let n = 0;
      for (let seq = from; seq < to; seq++) n += host.process(chunk('a', seq, channels))!.output.predictions.length;
      return n;
    };
    expect(count(0, 30)).toBeGreaterThan(0);
    const reordered = ['Pz', 'C3', 'Cz', 'C4'];
    // A fresh processor needs a whole 2 s window (20 chunks) before its first prediction.
    expect(count(30, 49, reordered)).toBe(0);
    expect(count(49, 60, reordered)).toBeGreaterThan(0);
  });
});

describe('deviceHash', () => {
  it("spreads one NATS partition's devices over worker shards (the partition is FNV-1a mod n, the shard must not follow it)", () => {
    const ids = Array.from({ length: 800 }, (_, i) => `hs-${i}`);
    for (const [partitions, workers] of [[2, 2], [4, 2], [2, 4]]) {
      const mine = ids.filter((id) => partitionOf(id, partitions) === 0);
      const perWorker = Array.from({ length: workers }, (_, w) => mine.filter((id) => deviceHash(id) % workers === w).length);
      for (const n of perWorker) expect(n).toBeGreaterThan((0.7 * mine.length) / workers);
    }
  });
});
