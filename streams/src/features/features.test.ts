import * as fs from 'node:fs';
import * as path from 'node:path';
import { readEdf } from '../edf';
import { maxRelError, reference } from '../filters/scipyReference';
import { EEG_BANDS, bandPowers, fft, integratePsd, rfft, signalQuality, welchPsd } from './index';

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

function naiveDft(re: ArrayLike<number>, im: ArrayLike<number>): { re: Float64Array; im: Float64Array } {
  const n = re.length;
  const oRe = new Float64Array(n);
  const oIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < n; j++) {
      const a = (-2 * Math.PI * ((j * k) % n)) / n;
      oRe[k] += re[j] * Math.cos(a) - im[j] * Math.sin(a);
      oIm[k] += re[j] * Math.sin(a) + im[j] * Math.cos(a);
    }
  }
  return { re: oRe, im: oIm };
}

describe('fft', () => {
  it.each([1, 2, 3, 5, 8, 12, 64, 100, 160, 255, 256, 320])('matches a naive DFT for n = %i', (n) => {
    const rnd = seeded(n);
    const re = Float64Array.from({ length: n }, rnd);
    const im = Float64Array.from({ length: n }, rnd);
    const want = naiveDft(re, im);
    fft(re, im);
    expect(maxRelError(re, want.re)).toBeLessThan(1e-12);
    expect(maxRelError(im, want.im)).toBeLessThan(1e-12);
  });

  it('rfft returns n/2+1 bins and zero-pads', () => {
    const x = Float64Array.from({ length: 10 }, (_, i) => Math.cos((2 * Math.PI * 2 * i) / 10));
    const { re, im } = rfft(x);
    expect(re).toHaveLength(6);
    expect(re[2]).toBeCloseTo(5, 12);
    expect(Math.max(...Array.from(im).map(Math.abs))).toBeLessThan(1e-12);
    expect(rfft(x, 16).re).toHaveLength(9);
  });
});

describe('welchPsd matches scipy.signal.welch', () => {
  it.each(reference.welch.map((w) => [`fs ${w.fsHz} nperseg ${w.nperseg} noverlap ${w.noverlap} n ${w.n}`, w] as const))(
    '%s',
    (_name, w) => {
      const x = makeSignal(w.fsHz).slice(0, w.n);
      const opts = w.noverlap === null ? { nperseg: w.nperseg } : { nperseg: w.nperseg, noverlap: w.noverlap };
      const { freqs, psd } = welchPsd(x, w.fsHz, opts);
      expect(maxRelError(freqs, w.freqs)).toBeLessThan(1e-12);
      expect(maxRelError(psd, w.psd)).toBeLessThan(1e-10);
    },
  );

  // The script's test signal depends on fs; the filter runs store it for fs 160/250/500.
  function makeSignal(fsHz: number): number[] {
    const run = reference.runs.find((r) => r.fsHz === fsHz);
    if (!run) throw new Error(`no reference signal for fs ${fsHz}`);
    return run.x;
  }

  it('density integrates to the variance (Parseval) for white noise', () => {
    const rnd = seeded(3);
    const x = Float64Array.from({ length: 16000 }, () => 10 * rnd());
    const { freqs, psd } = welchPsd(x, 160, { nperseg: 320 });
    const variance = x.reduce((s, v) => s + v * v, 0) / x.length;
    expect(integratePsd(freqs, psd, 0, 80) / variance).toBeGreaterThan(0.95);
    expect(integratePsd(freqs, psd, 0, 80) / variance).toBeLessThan(1.05);
  });

  it('validates options', () => {
    expect(() => welchPsd([1, 2, 3], 0)).toThrow(/fsHz/);
    expect(() => welchPsd(new Float64Array(100), 100, { nperseg: 50, noverlap: 50 })).toThrow(/noverlap/);
  });
});

describe('bandPowers', () => {
  it('integrates a flat PSD exactly and partitions 1-45 Hz', () => {
    const freqs = Float64Array.from({ length: 161 }, (_, i) => i * 0.5);
    const psd = new Float64Array(161).fill(2);
    const bp = bandPowers(freqs, psd);
    expect(bp.absolute.delta).toBeCloseTo(6, 12);
    expect(bp.absolute.beta).toBeCloseTo(34, 12);
    expect(bp.totalPower).toBeCloseTo(88, 12);
    expect(Object.values(bp.relative).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
  });

  it('uses linear interpolation at edges between bins (trapezoid rule)', () => {
    const freqs = [0, 1, 2, 3];
    const psd = [0, 2, 4, 6]; // psd = 2f
    expect(integratePsd(freqs, psd, 0.5, 2.5)).toBeCloseTo(6, 12); // integral of 2f from 0.5 to 2.5
  });

  it('puts a 10 Hz sine (amplitude 20) into alpha with power A^2/2', () => {
    const fsHz = 160;
    const rnd = seeded(9);
    const x = Float64Array.from({ length: 60 * fsHz }, (_, i) => 20 * Math.sin((2 * Math.PI * 10 * i) / fsHz) + 0.5 * rnd());
    const { freqs, psd } = welchPsd(x, fsHz, { nperseg: 2 * fsHz });
    const bp = bandPowers(freqs, psd);
    expect(bp.absolute.alpha).toBeGreaterThan(0.97 * 200);
    expect(bp.absolute.alpha).toBeLessThan(1.03 * 200);
    expect(bp.relative.alpha).toBeGreaterThan(0.95);
  });

  it('gives plausible relative powers on real EEG (S001R04, C3)', () => {
    const rec = readEdf(fs.readFileSync(path.resolve(__dirname, '../../../tests/fixtures/eeg/S001R04.edf')));
    const { freqs, psd } = welchPsd(rec.signals[8].samples, 160, { nperseg: 320 });
    const bp = bandPowers(freqs, psd, EEG_BANDS);
    expect(Object.values(bp.relative).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 10);
    // 1/f spectrum: delta carries more power per band than gamma.
    expect(bp.absolute.delta).toBeGreaterThan(bp.absolute.gamma);
    for (const v of Object.values(bp.absolute)) expect(v).toBeGreaterThan(0);
  });
});

describe('signalQuality', () => {
  const fsHz = 250;
  const n = 4 * fsHz;
  const rnd = seeded(5);
  const eeg = () => Float64Array.from({ length: n }, (_, i) => 15 * Math.sin((2 * Math.PI * 10 * i) / fsHz) + 10 * rnd());

  it('labels good, flat, railed and noisy channels', () => {
    const good = eeg();
    const flat = Float64Array.from({ length: n }, () => 0.05 * rnd());
    const railed = eeg().map((v, i) => (i % 20 < 3 ? 3276.7 : v));
    const noisy = eeg().map((v, i) => v + 40 * Math.sin((2 * Math.PI * 50 * i) / fsHz));
    const q = signalQuality([good, flat, railed, noisy], fsHz, { rails: { min: -3276.8, max: 3276.7 }, lineFreqHz: 50 });
    expect(q.map((c) => c.verdict)).toEqual(['good', 'flat', 'railed', 'noisy']);
    expect(q[2].railedFraction).toBeCloseTo(0.15, 10);
    expect(q[3].lineNoiseRatio).toBeGreaterThan(1);
    expect(q[0].lineNoiseRatio).toBeLessThan(0.05);
    expect(q[1].std).toBeLessThan(0.5);
  });

  it('railAmplitude flags saturation without known rails; 60 Hz mains is only noise when configured', () => {
    const clipped = eeg().map((v) => Math.max(-12, Math.min(12, v)));
    const hum60 = eeg().map((v, i) => v + 40 * Math.sin((2 * Math.PI * 60 * i) / fsHz));
    expect(signalQuality([clipped], fsHz, { railAmplitude: 12 })[0].verdict).toBe('railed');
    expect(signalQuality([hum60], fsHz, { lineFreqHz: 50 })[0].verdict).toBe('good');
    expect(signalQuality([hum60], fsHz, { lineFreqHz: 60 })[0].verdict).toBe('noisy');
  });

  it('finds the real S001R04 channels good, and flags one after injecting 60 Hz hum', () => {
    const rec = readEdf(fs.readFileSync(path.resolve(__dirname, '../../../tests/fixtures/eeg/S001R04.edf')));
    const block = rec.signals.map((s) => s.samples.slice(0, 1600));
    const before = signalQuality(block, 160, { lineFreqHz: 60, rails: { min: -8092, max: 8092 } });
    expect(before.every((c) => c.verdict === 'good')).toBe(true);
    block[10] = block[10].map((v, i) => v + 100 * Math.sin((2 * Math.PI * 60 * i) / 160));
    block[20] = new Float64Array(1600).fill(8092);
    const after = signalQuality(block, 160, { lineFreqHz: 60, rails: { min: -8092, max: 8092 } });
    expect(after[10].verdict).toBe('noisy');
    expect(after[20].verdict).toBe('railed');
    expect(after.filter((c) => c.verdict === 'good')).toHaveLength(62);
  });
});
