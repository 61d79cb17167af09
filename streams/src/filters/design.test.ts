import { butterSos, iirNotch, sosGainDb, sosGain } from './index';
import { maxRelError, reference } from './scipyReference';

describe('butterSos matches scipy.signal.butter(..., output="sos")', () => {
  it('has the reference set (orders 1-8, all band types, fs 160-1000)', () => {
    expect(reference.designs.length).toBeGreaterThanOrEqual(64);
  });

  it.each(reference.designs.map((d) => [`${d.btype} N=${d.order} ${JSON.stringify(d.cutoffHz)} Hz @ ${d.fsHz} Hz`, d] as const))(
    '%s',
    (_name, d) => {
      const sos = butterSos(d.order, d.cutoffHz, d.btype, d.fsHz);
      expect(sos).toHaveLength(d.sos.length);
      sos.forEach((s, i) => {
        // b and a compared separately: the gain k makes b tiny for narrow bands.
        expect(maxRelError(s.slice(0, 3), d.sos[i].slice(0, 3))).toBeLessThan(1e-10);
        expect(maxRelError(s.slice(3), d.sos[i].slice(3))).toBeLessThan(1e-10);
      });
    },
  );
});

describe('iirNotch matches scipy.signal.iirnotch', () => {
  it.each(reference.notches.map((n) => [`${n.f0Hz} Hz Q=${n.Q} @ ${n.fsHz} Hz`, n] as const))('%s', (_name, n) => {
    const [s] = iirNotch(n.f0Hz, n.Q, n.fsHz);
    expect(maxRelError(s.slice(0, 3), n.b)).toBeLessThan(1e-12);
    expect(maxRelError(s.slice(3), n.a)).toBeLessThan(1e-12);
  });
});

describe('frequency response', () => {
  it.each([
    [4, [8, 30], 160],
    [2, [1, 45], 250],
    [6, [0.5, 40], 500],
    [8, [13, 30], 1000],
  ] as const)('band-pass N=%i %j @ %i Hz: -3 dB at both edges, ~0 dB at the centre', (order, [lo, hi], fs) => {
    const sos = butterSos(order, [lo, hi], 'bandpass', fs);
    expect(Math.abs(sosGainDb(sos, lo, fs) + 3.0103)).toBeLessThan(0.1);
    expect(Math.abs(sosGainDb(sos, hi, fs) + 3.0103)).toBeLessThan(0.1);
    expect(Math.abs(sosGainDb(sos, Math.sqrt(lo * hi), fs))).toBeLessThan(0.1);
    // Stop band well outside the edges.
    expect(sosGainDb(sos, lo / 4, fs)).toBeLessThan(-20);
    expect(sosGainDb(sos, Math.min(hi * 2, fs / 2 - 1), fs)).toBeLessThan(-10);
  });

  it.each([1, 3, 4, 7])('low-pass and high-pass order %i are -3 dB at the cutoff', (order) => {
    const fs = 250;
    expect(Math.abs(sosGainDb(butterSos(order, 40, 'lowpass', fs), 40, fs) + 3.0103)).toBeLessThan(0.1);
    expect(Math.abs(sosGainDb(butterSos(order, 1, 'highpass', fs), 1, fs) + 3.0103)).toBeLessThan(0.1);
    expect(sosGain(butterSos(order, 40, 'lowpass', fs), 0, fs)).toBeCloseTo(1, 9);
    expect(sosGain(butterSos(order, 1, 'highpass', fs), fs / 2, fs)).toBeCloseTo(1, 9);
  });

  it('band-stop is -3 dB at its edges and deep in the middle', () => {
    const sos = butterSos(4, [45, 55], 'bandstop', 250);
    expect(Math.abs(sosGainDb(sos, 45, 250) + 3.0103)).toBeLessThan(0.1);
    expect(Math.abs(sosGainDb(sos, 55, 250) + 3.0103)).toBeLessThan(0.1);
    expect(sosGainDb(sos, Math.sqrt(45 * 55), 250)).toBeLessThan(-100);
  });

  it.each([
    [50, 250],
    [60, 160],
    [50, 1000],
  ])('notch at %i Hz (fs %i) kills its frequency and is -3 dB at f0 +- f0/(2Q)', (f0, fs) => {
    const Q = 30;
    const sos = iirNotch(f0, Q, fs);
    expect(sosGain(sos, f0, fs)).toBeLessThan(1e-9);
    expect(Math.abs(sosGainDb(sos, 10, fs))).toBeLessThan(0.05);
    // Bilinear warping makes the edges only approximately symmetric around f0.
    expect(Math.abs(sosGainDb(sos, f0 - f0 / (2 * Q), fs) + 3.0103)).toBeLessThan(0.2);
  });
});

describe('design argument checks', () => {
  it('rejects impossible designs with clear messages', () => {
    expect(() => butterSos(0, 10, 'lowpass', 160)).toThrow(/order must be a positive integer/);
    expect(() => butterSos(4, 80, 'lowpass', 160)).toThrow(/0 < f < fsHz\/2 = 80/);
    expect(() => butterSos(4, [30, 8], 'bandpass', 160)).toThrow(/increasing/);
    expect(() => butterSos(4, 10, 'bandpass', 160)).toThrow(/two cutoff/);
    expect(() => iirNotch(60, 30, 100)).toThrow(/fsHz\/2 = 50/);
  });
});
