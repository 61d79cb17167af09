import {
  BandPassFilter,
  FilterChain,
  NotchFilter,
  SosFilter,
  butterSos,
  defaultPadlen,
  iirNotch,
  sosfilt,
  sosfiltZi,
  sosfiltfilt,
  sosfiltfiltChannels,
} from './index';
import { maxRelError, reference } from './scipyReference';

/** Deterministic LCG noise so tests do not depend on Math.random. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

const runName = (r: (typeof reference.runs)[number]) =>
  r.notch ? `notch ${r.f0Hz} Hz Q=${r.Q} @ ${r.fsHz}` : `${r.btype} N=${r.order} ${JSON.stringify(r.cutoffHz)} @ ${r.fsHz}`;
const runs = reference.runs.map((r) => [runName(r), r] as const);

describe('sosfilt / sosfiltfilt match scipy on a deterministic signal', () => {
  it.each(runs)('%s: sosfilt, zero initial state', (_n, r) => {
    expect(maxRelError(sosfilt(r.sos, r.x).y, r.sosfilt)).toBeLessThan(1e-10);
  });

  it.each(runs)('%s: sosfilt_zi and steady-state start', (_n, r) => {
    expect(maxRelError(sosfiltZi(r.sos), r.zi.flat())).toBeLessThan(1e-10);
    const zi = sosfiltZi(r.sos).map((v) => v * r.x[0]);
    expect(maxRelError(sosfilt(r.sos, r.x, zi).y, r.sosfiltSteady)).toBeLessThan(1e-10);
  });

  it.each(runs)('%s: sosfiltfilt with default, 80 and 0 padlen', (_n, r) => {
    expect(maxRelError(sosfiltfilt(r.sos, r.x), r.sosfiltfilt)).toBeLessThan(1e-10);
    expect(maxRelError(sosfiltfilt(r.sos, r.x, { padlen: 80 }), r.sosfiltfiltPad80)).toBeLessThan(1e-10);
    expect(maxRelError(sosfiltfilt(r.sos, r.x, { padlen: 0 }), r.sosfiltfiltPad0)).toBeLessThan(1e-10);
  });

  it('default padlen follows scipy: 3 * (2 * nSections + 1 - min(zero b2, zero a2))', () => {
    expect(defaultPadlen(butterSos(4, [8, 30], 'bandpass', 160))).toBe(27);
    expect(defaultPadlen(iirNotch(50, 30, 250))).toBe(9);
    // Order-3 low-pass: last section is first-order (b2 = a2 = 0) -> one tap fewer.
    const lp3 = butterSos(3, 40, 'lowpass', 250);
    expect(lp3[0][2] === 0 || lp3[1][2] === 0).toBe(true);
    expect(defaultPadlen(lp3)).toBe(12);
  });

  it('rejects signals not longer than padlen', () => {
    const sos = butterSos(4, [8, 30], 'bandpass', 160);
    expect(() => sosfiltfilt(sos, new Float64Array(27))).toThrow(/must be greater than padlen \(27\)/);
    expect(sosfiltfilt(sos, new Float64Array(28))).toHaveLength(28);
  });
});

describe('SosFilter streaming', () => {
  const fs = 160;
  const nCh = 3;
  const n = 2000;
  const rnd = seeded(7);
  const signal = Array.from({ length: nCh }, (_, c) =>
    Float64Array.from({ length: n }, (_, i) => 20 * Math.sin((2 * Math.PI * (10 + c) * i) / fs) + 50 * rnd() + 100 * c),
  );
  const sos = butterSos(4, [8, 30], 'bandpass', fs);

  function runChunked(filter: SosFilter | FilterChain, sizes: number[]): Float64Array[] {
    const out = signal.map(() => new Float64Array(n));
    let pos = 0;
    let k = 0;
    while (pos < n) {
      const len = Math.min(sizes[k++ % sizes.length], n - pos);
      const y = filter.process(signal.map((ch) => ch.subarray(pos, pos + len)));
      y.forEach((ch, c) => out[c].set(ch, pos));
      pos += len;
    }
    return out;
  }

  it.each(['zero', 'steady'] as const)('gives the same output in one chunk or many (%s start)', (initialState) => {
    const whole = new SosFilter(sos, nCh, { initialState }).process(signal);
    for (const sizes of [[1], [7, 1, 33, 0, 160], [500], [1999, 1]]) {
      const chunked = runChunked(new SosFilter(sos, nCh, { initialState }), sizes);
      for (let c = 0; c < nCh; c++) expect(maxRelError(chunked[c], whole[c])).toBeLessThan(1e-9);
    }
  });

  it('matches single-channel sosfilt per channel, and steady start matches zi * x[0]', () => {
    const y = new SosFilter(sos, nCh).process(signal);
    const ys = new SosFilter(sos, nCh, { initialState: 'steady' }).process(signal);
    const zi = sosfiltZi(sos);
    for (let c = 0; c < nCh; c++) {
      expect(maxRelError(y[c], sosfilt(sos, signal[c]).y)).toBeLessThan(1e-12);
      const z0 = zi.map((v) => v * signal[c][0]);
      expect(maxRelError(ys[c], sosfilt(sos, signal[c], z0).y)).toBeLessThan(1e-12);
    }
    // The 100*c DC offset causes a start-up transient only without steady-state init.
    expect(Math.abs(y[2][5])).toBeGreaterThan(10);
    expect(Math.abs(ys[2][5])).toBeLessThan(Math.abs(y[2][5]) / 5);
  });

  it('reset() forgets the state', () => {
    const f = new SosFilter(sos, nCh);
    const first = f.process(signal);
    f.reset();
    const again = f.process(signal);
    expect(maxRelError(again[1], first[1])).toBe(0);
    expect(f.getState(1).some((v) => v !== 0)).toBe(true);
  });

  it('never leaves subnormal numbers in the state when the input goes silent', () => {
    // Subnormals make float math ~100x slower on x86; a zero-valued channel must not trigger that.
    const f = new SosFilter(butterSos(4, 0.5, 'highpass', 1000), 1);
    const chunk = [new Float64Array(100)];
    chunk[0][0] = 1;
    let sawZero = false;
    // The slowest pole pair (radius ~0.9988) needs ~600k samples to decay from 1e-3 to 1e-300.
    for (let k = 0; k < 8000; k++) {
      f.processInPlace(chunk);
      chunk[0].fill(0);
      for (const v of f.getState(0)) expect(v === 0 || Math.abs(v) >= 1e-300).toBe(true);
      sawZero ||= f.getState(0).every((v) => v === 0);
    }
    expect(sawZero).toBe(true);
  });

  it('checks channel count and lengths', () => {
    const f = new SosFilter(sos, 2);
    expect(() => f.process([new Float64Array(3)])).toThrow(/expected 2 channels, got 1/);
    expect(() => f.process([new Float64Array(3), new Float64Array(4)])).toThrow(/channel 1 has 4 samples/);
  });

  it('BandPassFilter passes 15 Hz and removes 2 Hz and 50 Hz', () => {
    const fsHz = 250;
    const t = Float64Array.from({ length: 5 * fsHz }, (_, i) => i / fsHz);
    const tone = (f: number) => t.map((x) => Math.sin(2 * Math.PI * f * x));
    const bp = new BandPassFilter({ lowHz: 8, highHz: 30, fsHz, nChannels: 3 });
    const [a, b, c] = bp.process([tone(15), tone(2), tone(50)]);
    const rms = (x: Float64Array) => Math.sqrt(x.subarray(2 * fsHz).reduce((s, v) => s + v * v, 0) / (x.length - 2 * fsHz));
    expect(rms(a)).toBeCloseTo(Math.SQRT1_2, 2);
    expect(rms(b)).toBeLessThan(0.01);
    expect(rms(c)).toBeLessThan(0.05);
  });

  it('FilterChain (notch then band-pass) equals running the stages one after another, chunked or not', () => {
    const mk = () =>
      new FilterChain([
        new NotchFilter({ freqHz: 50, fsHz: fs, nChannels: nCh }),
        new BandPassFilter({ lowHz: 8, highHz: 30, fsHz: fs, nChannels: nCh }),
      ]);
    const whole = mk().process(signal);
    const manual = new BandPassFilter({ lowHz: 8, highHz: 30, fsHz: fs, nChannels: nCh }).process(
      new NotchFilter({ freqHz: 50, fsHz: fs, nChannels: nCh }).process(signal),
    );
    const chunked = runChunked(mk(), [13, 40]);
    for (let c = 0; c < nCh; c++) {
      expect(maxRelError(whole[c], manual[c])).toBe(0);
      expect(maxRelError(chunked[c], whole[c])).toBeLessThan(1e-9);
    }
  });

  it('sosfiltfilt is zero-phase: a filtered in-band tone stays aligned with the input', () => {
    const fsHz = 160;
    const x = Float64Array.from({ length: 1600 }, (_, i) => Math.sin((2 * Math.PI * 15 * i) / fsHz));
    const [y] = sosfiltfiltChannels(sos, [x]);
    // Compare away from the edges: in phase and nearly unit gain.
    let err = 0;
    for (let i = 400; i < 1200; i++) err = Math.max(err, Math.abs(y[i] - x[i]));
    expect(err).toBeLessThan(0.02);
  });
});
