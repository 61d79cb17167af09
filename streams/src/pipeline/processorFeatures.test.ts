// EegStreamProcessor's once-a-second band powers and quality against a straightforward reference:
// the public welchPsd / bandPowers / signalQuality on the same 1 s blocks of the notched and raw
// signal, recomputed here from the whole recording.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readEdf } from '../edf';
import { EEG_BANDS, bandPowers, signalQuality, welchPsd, type SignalQualityOptions } from '../features';
import { EegStreamProcessor, makeCausalFilter, type BandPowerFrame, type QualityFrame, type StreamChunk } from './index';

const FS = 160;
const T0 = 1_700_000_000_000_000;
const rec = readEdf(fs.readFileSync(path.resolve(__dirname, '../../../tests/fixtures/eeg/S001R04.edf')));
const CH = rec.signals.map((s) => s.label);
const SECONDS = 30;
const raw = rec.signals.map((s) => Float64Array.from(s.samples.subarray(0, SECONDS * FS)));

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function chunks(channels: Float64Array[], sizes: () => number): StreamChunk[] {
  const out: StreamChunk[] = [];
  const len = channels[0].length;
  for (let pos = 0; pos < len;) {
    const to = Math.min(len, pos + Math.max(1, sizes()));
    const n = to - pos;
    const samples = new Float64Array(channels.length * n);
    channels.forEach((x, c) => samples.set(x.subarray(pos, to), c * n));
    out.push({ t0Us: T0 + Math.round((pos * 1e6) / FS), nSamples: n, samples });
    pos = to;
  }
  return out;
}

function maxRel(a: ArrayLike<number | null>, b: ArrayLike<number | null>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y || (Number.isNaN(x) && Number.isNaN(y))) continue;
    if (x === null || y === null) return Infinity;
    worst = Math.max(worst, Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y)));
  }
  return worst;
}

function expectMatchesReference(
  channels: Float64Array[],
  bandFrames: BandPowerFrame[],
  qualityFrames: QualityFrame[],
  quality: SignalQualityOptions,
) {
  const notched = channels.map((x) => Float64Array.from(x));
  makeCausalFilter({ fsHz: FS, nChannels: channels.length }).notch!.processInPlace(notched);
  expect(bandFrames.length).toBeGreaterThan(0);
  expect(qualityFrames).toHaveLength(bandFrames.length);
  let worst = 0;
  bandFrames.forEach((frame, f) => {
    const end = frame.endSample + 1;
    const relative = notched.map((x) => {
      const { freqs, psd } = welchPsd(x.subarray(end - FS, end), FS, { nperseg: 128 });
      const r = bandPowers(freqs, psd).relative;
      return EEG_BANDS.map((b) => r[b.name]);
    });
    worst = Math.max(worst, maxRel(frame.relative.flat(), relative.flat()));
    const q = signalQuality(
      channels.map((x) => x.subarray(end - FS, end)),
      FS,
      { nperseg: 128, ...quality },
    );
    const got = qualityFrames[f];
    expect(got.endSample).toBe(frame.endSample);
    expect(got.channels.map((c) => [c.channel, c.verdict, c.railedFraction])).toEqual(
      q.map((c) => [CH[c.channel], c.verdict, c.railedFraction]),
    );
    worst = Math.max(
      worst,
      maxRel(
        got.channels.map((c) => c.std),
        q.map((c) => c.std),
      ),
    );
    worst = Math.max(
      worst,
      maxRel(
        got.channels.map((c) => c.lineNoiseRatio),
        q.map((c) => (Number.isFinite(c.lineNoiseRatio) ? c.lineNoiseRatio : null)),
      ),
    );
  });
  expect(worst).toBeLessThan(1e-9);
}

describe('EegStreamProcessor features', () => {
  it('equal welchPsd + bandPowers and signalQuality on each 1 s block of 64-channel EEG, however chunked', () => {
    const rnd = seeded(5);
    const p = new EegStreamProcessor({ channels: CH, fsHz: FS, featurePhaseSamples: 37 });
    const bandFrames: BandPowerFrame[] = [];
    const qualityFrames: QualityFrame[] = [];
    for (const c of chunks(raw, () => Math.floor(rnd() * 90))) {
      const out = p.push(c);
      bandFrames.push(...out.bandPowers);
      qualityFrames.push(...out.quality);
    }
    expect(bandFrames).toHaveLength(SECONDS - 1);
    expectMatchesReference(raw, bandFrames, qualityFrames, {});
  });

  it('honours the quality options and reports flat, railed, noisy and non-finite channels like the reference', () => {
    const quality: SignalQualityOptions = { railAmplitude: 350, lineNoiseRatioMax: 0.05, flatStdMax: 1 };
    const channels = raw.map((x) => Float64Array.from(x));
    channels[0].fill(3); // flat
    for (let i = 0; i < channels[1].length; i++) channels[1][i] += 40 * Math.sin((2 * Math.PI * 50 * i) / FS); // mains
    for (let i = 0; i < channels[2].length; i += 7) channels[2][i] = 400; // railed
    channels[3][5 * FS + 20] = NaN; // one bad sample
    const p = new EegStreamProcessor({ channels: CH, fsHz: FS, quality });
    const bandFrames: BandPowerFrame[] = [];
    const qualityFrames: QualityFrame[] = [];
    for (const c of chunks(channels, () => 16)) {
      const out = p.push(c);
      bandFrames.push(...out.bandPowers);
      qualityFrames.push(...out.quality);
    }
    expect(qualityFrames[0].channels.slice(0, 3).map((c) => c.verdict)).toEqual(['flat', 'noisy', 'railed']);
    expectMatchesReference(channels, bandFrames, qualityFrames, quality);
  });
});
