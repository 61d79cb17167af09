// The allocation-free plans (RealFftPower, WelchPlan, PsdIntegral / BandPowerPlan,
// SignalQualityPlan, FeatureBlockPlan) against the straightforward public functions they stand in
// for, on real-sized random, real EEG and synthetic signals.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readEdf } from '../edf';
import {
  BandPowerPlan,
  EEG_BANDS,
  FeatureBlockPlan,
  PsdIntegral,
  RealFftPower,
  SignalQualityPlan,
  WelchPlan,
  bandPowers,
  integratePsd,
  signalQuality,
  welchPsd,
  type Band,
  type SignalQualityOptions,
  type WelchOptions,
} from './index';

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

const random = (n: number, seed: number, amp = 50) => {
  const rnd = seeded(seed);
  return Float64Array.from({ length: n }, () => amp * rnd());
};

/** 64 channels of the EEG fixture, as Float64Arrays. */
const eeg: Float64Array[] = readEdf(fs.readFileSync(path.resolve(__dirname, '../../../tests/fixtures/eeg/S001R04.edf'))).signals.map((s) =>
  Float64Array.from(s.samples),
);
const EEG_FS = 160;

/** Largest |a - b| / max(|a|, |b|) (0 when equal, NaN matching NaN); `floor` is an absolute slack for values that are rounding noise. */
function maxRel(a: ArrayLike<number>, b: ArrayLike<number>, floor = 0): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    if (Object.is(a[i], b[i]) || (Number.isNaN(a[i]) && Number.isNaN(b[i]))) continue;
    const d = Math.abs(a[i] - b[i]);
    if (d <= floor) continue;
    worst = Math.max(worst, Number.isFinite(d) ? d / Math.max(Math.abs(a[i]), Math.abs(b[i])) : Infinity);
  }
  return worst;
}

function naivePower(x: ArrayLike<number>, n: number): Float64Array {
  const bins = (n >> 1) + 1;
  const out = new Float64Array(bins);
  for (let k = 0; k < bins; k++) {
    let re = 0;
    let im = 0;
    for (let j = 0; j < Math.min(n, x.length); j++) {
      const a = (-2 * Math.PI * ((j * k) % n)) / n;
      re += x[j] * Math.cos(a);
      im += x[j] * Math.sin(a);
    }
    out[k] = re * re + im * im;
  }
  return out;
}

describe('RealFftPower', () => {
  it.each([1, 2, 3, 4, 8, 16, 32, 64, 100, 128, 160, 255, 256, 512])(
    'equals |naive DFT|^2 for n = %i, with and without zero padding',
    (n) => {
      const plan = new RealFftPower(n);
      const out = new Float64Array(plan.bins);
      for (const len of [n, Math.max(1, n - 5), Math.ceil(n / 3)]) {
        const x = random(len, n + len);
        plan.power(x, len, out);
        const want = naivePower(x, n);
        // Relative to the largest bin: the naive DFT's own rounding is of that order.
        let scale = 0;
        for (const v of want) scale = Math.max(scale, v);
        for (let k = 0; k < plan.bins; k++) expect(Math.abs(out[k] - want[k])).toBeLessThanOrEqual(1e-12 * scale);
      }
    },
  );

  it('powerOfSegment detrends, windows and scales the segment in place of a copy', () => {
    const n = 128;
    const plan = new RealFftPower(n);
    const x = random(400, 3);
    const win = Float64Array.from({ length: n }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
    const scale = Float64Array.from({ length: plan.bins }, (_, k) => 1 + k);
    const got = new Float64Array(plan.bins);
    plan.powerOfSegment(x, 37, 1.5, win, scale, got);
    const seg = Float64Array.from({ length: n }, (_, i) => (x[37 + i] - 1.5) * win[i]);
    const want = new Float64Array(plan.bins);
    plan.power(seg, n, want);
    for (let k = 0; k < plan.bins; k++) want[k] *= scale[k];
    expect(maxRel(got, want)).toBeLessThan(1e-14);
    expect(() => plan.powerOfSegment(x, 300, 0, null, null, got)).toThrow(RangeError);
  });
});

describe('WelchPlan equals welchPsd', () => {
  const cases: [string, number, number, WelchOptions][] = [
    ['live block: 160 samples, nperseg 128', 160, 160, { nperseg: 128 }],
    ['4 s at 160 Hz, defaults (nperseg 256, 4 segments)', 640, 160, {}],
    ['nperseg 160 (Bluestein)', 640, 160, { nperseg: 160 }],
    ['nperseg 320 > len: clamped', 300, 160, { nperseg: 320 }],
    ['nfft 256 > nperseg 200 (zero padding)', 1000, 250, { nperseg: 200, nfft: 256 }],
    ['noverlap 0', 1024, 256, { nperseg: 128, noverlap: 0 }],
    ['noverlap 96 of 128', 1024, 256, { nperseg: 128, noverlap: 96 }],
    ['linear detrend', 800, 200, { nperseg: 128, detrend: 'linear' }],
    ['no detrend, spectrum scaling', 800, 200, { nperseg: 64, detrend: false, scaling: 'spectrum' }],
    ['odd nperseg 255', 1000, 250, { nperseg: 255 }],
    ['tiny: nperseg 2', 9, 10, { nperseg: 2 }],
  ];
  it.each(cases)('%s', (_name, len, fsHz, options) => {
    const plan = new WelchPlan(len, fsHz, options);
    for (const [x, offset] of [
      [random(len + 50, len), 50],
      [eeg[5].subarray(0, len), 0],
      [Float64Array.from({ length: len }, (_, i) => 100 + 0.01 * i + 20 * Math.sin((2 * Math.PI * 11.3 * i) / fsHz)), 0],
    ] as const) {
      const want = welchPsd(x.subarray(offset, offset + len), fsHz, options);
      const got = plan.psd(x, offset);
      expect(plan.freqs).toEqual(want.freqs);
      expect(plan.nSegments).toBe(want.nSegments);
      // Each bin to 1e-9 relative, where bins far below the peak are allowed the rounding of the peak.
      let peak = 0;
      for (const v of want.psd) peak = Math.max(peak, v);
      expect(maxRel(got, want.psd, 1e-13 * peak)).toBeLessThan(1e-9);
    }
  });

  it('equals welchPsd bin by bin to 1e-12 on real EEG and noise (live block size)', () => {
    const plan = new WelchPlan(160, EEG_FS, { nperseg: 128 });
    for (let c = 0; c < eeg.length; c++) {
      for (const x of [eeg[c].subarray(1600, 1760), random(160, c)]) {
        expect(maxRel(plan.psd(x), welchPsd(x, EEG_FS, { nperseg: 128 }).psd)).toBeLessThan(1e-12);
      }
    }
  });

  it('rejects what welchPsd rejects, and offsets past the data', () => {
    expect(() => new WelchPlan(0, 160)).toThrow(RangeError);
    expect(() => new WelchPlan(100, 0)).toThrow(RangeError);
    expect(() => new WelchPlan(100, 160, { nperseg: 64, noverlap: 64 })).toThrow(RangeError);
    expect(() => new WelchPlan(100, 160, { nperseg: 64, nfft: 32 })).toThrow(RangeError);
    expect(() => new WelchPlan(100, 160).psd(new Float64Array(120), 30)).toThrow(RangeError);
  });
});

describe('PsdIntegral and BandPowerPlan equal integratePsd and bandPowers', () => {
  const grids: [string, Float64Array][] = [
    ['160 Hz / 128', Float64Array.from({ length: 65 }, (_, k) => (k * 160) / 128)],
    ['160 Hz / 320', Float64Array.from({ length: 161 }, (_, k) => (k * 160) / 320)],
    ['250 Hz / 255 (odd)', Float64Array.from({ length: 128 }, (_, k) => (k * 250) / 255)],
    ['60 Hz / 16 (gamma beyond Nyquist)', Float64Array.from({ length: 9 }, (_, k) => (k * 60) / 16)],
    ['uneven grid', Float64Array.from([0, 0.7, 3.9, 4, 8.2, 13, 13.5, 29.99, 44, 46, 80])],
  ];
  const ranges: [number, number][] = [
    [1, 45],
    [1, 4],
    [4, 8],
    [8, 13],
    [49, 51],
    [59, 61],
    [0, 1000],
    [-5, 0.3],
    [200, 300],
    [2.5, 2.6],
  ];
  it.each(grids)('%s', (_name, freqs) => {
    const rnd = seeded(freqs.length);
    for (let trial = 0; trial < 5; trial++) {
      const psd = Float64Array.from(freqs, () => (rnd() + 0.5) ** 4 * 1e3);
      for (const [lo, hi] of ranges) {
        const want = integratePsd(freqs, psd, lo, hi);
        const got = new PsdIntegral(freqs, lo, hi).of(psd);
        expect(maxRel([got], [want])).toBeLessThan(1e-12);
      }
      const bands: Band[][] = [
        [...EEG_BANDS],
        [
          { name: 'mu', lowHz: 8, highHz: 12 },
          { name: 'beta', lowHz: 13, highHz: 30 },
        ],
        [{ name: 'high', lowHz: 100, highHz: 200 }],
      ];
      for (const b of bands) {
        const ref = bandPowers(freqs, psd, b).relative;
        const got: number[] = [];
        expect(new BandPowerPlan(freqs, b).relativeInto(psd, got)).toBe(true);
        expect(
          maxRel(
            got,
            b.map((x) => ref[x.name]),
          ),
        ).toBeLessThan(1e-12);
      }
    }
  });

  it('reports a non-finite PSD instead of guessing integratePsd’s NaN/Infinity handling', () => {
    const freqs = grids[0][1];
    const psd = new Float64Array(65).fill(1);
    psd[10] = Infinity;
    expect(new BandPowerPlan(freqs).relativeInto(psd, [])).toBe(false);
    psd[10] = NaN;
    expect(new BandPowerPlan(freqs).relativeInto(psd, [])).toBe(false);
    // Outside every band it does not matter.
    psd[10] = 1;
    psd[60] = NaN;
    expect(new BandPowerPlan(freqs).relativeInto(psd, [])).toBe(true);
  });

  it('rejects empty bands and reversed ranges like the reference', () => {
    expect(() => new BandPowerPlan(grids[0][1], [])).toThrow(RangeError);
    expect(() => new PsdIntegral(grids[0][1], 5, 5)).toThrow(RangeError);
  });
});

/** signalQuality outputs, compared field by field: verdicts and railed fractions exactly, std and line-noise ratio to 1e-9 relative. */
function expectSameQuality(got: ReturnType<typeof signalQuality>, want: ReturnType<typeof signalQuality>, ratioFloor = 0): void {
  expect(got.map((q) => [q.channel, q.verdict, q.railedFraction])).toEqual(want.map((q) => [q.channel, q.verdict, q.railedFraction]));
  expect(
    maxRel(
      got.map((q) => q.std),
      want.map((q) => q.std),
    ),
  ).toBeLessThan(1e-12);
  expect(
    maxRel(
      got.map((q) => q.lineNoiseRatio),
      want.map((q) => q.lineNoiseRatio),
      ratioFloor,
    ),
  ).toBeLessThan(1e-9);
}

describe('SignalQualityPlan equals signalQuality', () => {
  const fsHz = 160;
  const len = 160;
  const t = (i: number) => i / fsHz;
  const synthetic: Float64Array[] = [
    Float64Array.from({ length: len }, (_, i) => 20 * Math.sin(2 * Math.PI * 10 * t(i))), // on a bin: line power is rounding noise
    Float64Array.from({ length: len }, (_, i) => 30 * Math.sin(2 * Math.PI * 50 * t(i)) + 0.1 * Math.sin(2 * Math.PI * 10 * t(i))), // noisy
    new Float64Array(len), // flat, std 0: no Welch
    new Float64Array(len).fill(7), // flat, constant
    Float64Array.from({ length: len }, (_, i) => (i % 40 < 20 ? 3000 : -3000)), // railed
    Float64Array.from({ length: len }, (_, i) => (i < 80 ? 1e-300 : 0)), // tiny
    Float64Array.from({ length: len }, (_, i) => (i === 40 ? NaN : 10 * Math.sin(i))),
    Float64Array.from({ length: len }, (_, i) => (i === 40 ? Infinity : 10 * Math.sin(i))),
    Float64Array.from({ length: len }, (_, i) => (i % 2 ? 1e200 : -1e200)), // overflows in the PSD
    Float64Array.from({ length: len }, (_, i) => (i === 100 ? -Infinity : 10 * Math.sin(i))), // only after the Welch segment
  ];
  const options: [string, SignalQualityOptions, number, number][] = [
    ['the processor’s options (nperseg 128)', { nperseg: 128 }, fsHz, len],
    ['defaults (nperseg 2 s, clamped: Bluestein 160)', {}, fsHz, len],
    ['4 s blocks, defaults (nperseg 320, 3 segments)', {}, fsHz, 4 * len],
    ['rails and amplitude limit', { nperseg: 128, rails: { min: -3000, max: 3000 }, railMargin: 1, railAmplitude: 500 }, fsHz, len],
    [
      '60 Hz mains, strict thresholds',
      { nperseg: 128, lineFreqHz: 60, lineNoiseRatioMax: 0.01, flatStdMax: 2, railedFractionMax: 0 },
      fsHz,
      len,
    ],
    ['mains above Nyquist', { nperseg: 64 }, 100, len],
    ['250 Hz, nperseg 256', { nperseg: 256 }, 250, 500],
  ];
  it.each(options)('%s', (_name, opts, fs0, n) => {
    const plan = new SignalQualityPlan(n, fs0, opts);
    const channels = [
      ...eeg.slice(0, 16).map((x) => x.subarray(3 * n, 4 * n)),
      ...Array.from({ length: 8 }, (_, c) => random(n, 100 + c, 10 ** (c - 2))),
      ...synthetic.map((x) => Float64Array.from({ length: n }, (_, i) => x[i % len])),
    ];
    const flat = new Float64Array(channels.length * n);
    channels.forEach((x, c) => flat.set(x, c * n));
    const got = channels.map((_, c) => plan.channel(flat, c * n, c));
    // Line-noise ratios are O(1e-3..1e2); where the mains bins hold only rounding noise (tones
    // exactly on a bin) the absolute slack 1e-12 covers it.
    expectSameQuality(got, signalQuality(channels, fs0, opts), 1e-12);
  });

  it('agrees to 1e-9 relative (no slack) on all 64 real EEG channels and on noise', () => {
    const plan = new SignalQualityPlan(len, fsHz, { nperseg: 128 });
    for (let s = 0; s < 20; s++) {
      const channels = [
        ...eeg.map((x) => x.subarray(s * len, (s + 1) * len)),
        ...Array.from({ length: 16 }, (_, c) => random(len, s * 100 + c)),
      ];
      expectSameQuality(
        channels.map((x, c) => plan.channel(x, 0, c)),
        signalQuality(channels, fsHz, { nperseg: 128 }),
      );
    }
  });
});

describe('FeatureBlockPlan equals the per-channel public functions', () => {
  /** What EegStreamProcessor.features() computed with the public functions. */
  function reference(notched: Float64Array[], raw: Float64Array[], fsHz: number, nperseg: number, quality: SignalQualityOptions) {
    const relative = notched.map((x) => {
      const { freqs, psd } = welchPsd(x, fsHz, { nperseg });
      const r = bandPowers(freqs, psd).relative;
      return EEG_BANDS.map((b) => r[b.name]);
    });
    return { relative, quality: signalQuality(raw, fsHz, quality) };
  }

  function run(notched: Float64Array[], raw: Float64Array[], fsHz: number, nperseg: number, quality: SignalQualityOptions) {
    const len = notched[0].length;
    const plan = new FeatureBlockPlan({ nChannels: notched.length, len, fsHz, nperseg, bands: EEG_BANDS, quality });
    notched.forEach((x, c) => plan.input.set(x, c * len));
    const relative = plan.bandPowers();
    raw.forEach((x, c) => plan.input.set(x, c * len));
    return { relative, quality: plan.quality() };
  }

  it('64 channels of real EEG, 1 s blocks at 160 Hz: every value to 1e-9 relative', () => {
    for (let s = 0; s < 30; s++) {
      const raw = eeg.map((x) => x.slice(s * 160, (s + 1) * 160));
      const notched = raw.map((x, c) => Float64Array.from(x, (v, i) => v - 0.3 * Math.sin(i + c)));
      const want = reference(notched, raw, 160, 128, { nperseg: 128 });
      const got = run(notched, raw, 160, 128, { nperseg: 128 });
      expect(maxRel(got.relative.flat(), want.relative.flat())).toBeLessThan(1e-9);
      expectSameQuality(got.quality, want.quality);
    }
  });

  it('64 channels of noise and synthetic rhythms, including flat and non-finite channels', () => {
    const len = 160;
    const raw = Array.from({ length: 64 }, (_, c) => {
      const x = random(len, c + 1, 40);
      for (let i = 0; i < len; i++)
        x[i] +=
          (c % 4) * 20 * Math.sin((2 * Math.PI * (4 + c / 2) * i) / 160) + (c % 3 === 0 ? 25 * Math.sin((2 * Math.PI * 50 * i) / 160) : 0);
      return x;
    });
    raw[60].fill(0);
    raw[61][17] = NaN;
    raw[62][3] = Infinity;
    raw[63].fill(1e300);
    const notched = raw.map((x) => x.map((v) => v * 0.9));
    const want = reference(notched, raw, 160, 128, {});
    const got = run(notched, raw, 160, 128, {});
    expect(maxRel(got.relative.flat(), want.relative.flat())).toBeLessThan(1e-9);
    expect(got.relative.slice(60)).toEqual(want.relative.slice(60)); // the reference path, exactly
    expectSameQuality(got.quality, want.quality);
  });
});
