// Band power by integrating a PSD with the trapezoid rule.

export interface Band {
  name: string;
  lowHz: number;
  highHz: number;
}

/** Classic EEG bands; alpha doubles as the sensorimotor mu band (8-13 Hz). */
export const EEG_BANDS: ReadonlyArray<Band> = [
  { name: 'delta', lowHz: 1, highHz: 4 },
  { name: 'theta', lowHz: 4, highHz: 8 },
  { name: 'alpha', lowHz: 8, highHz: 13 },
  { name: 'beta', lowHz: 13, highHz: 30 },
  { name: 'gamma', lowHz: 30, highHz: 45 },
];

/**
 * Integral of the piecewise-linear PSD between lowHz and highHz (trapezoid rule
 * over the bins, with the end points linearly interpolated). Because band edges
 * are interpolated, adjacent bands add up exactly to the band spanning both.
 */
export function integratePsd(freqs: ArrayLike<number>, psd: ArrayLike<number>, lowHz: number, highHz: number): number {
  if (freqs.length !== psd.length) throw new RangeError('freqs and psd must have the same length');
  if (!(highHz > lowHz)) throw new RangeError(`highHz (${highHz}) must be > lowHz (${lowHz})`);
  const n = freqs.length;
  if (n < 2) return 0;
  const lo = Math.max(lowHz, freqs[0]);
  const hi = Math.min(highHz, freqs[n - 1]);
  if (hi <= lo) return 0;
  let total = 0;
  for (let i = 0; i < n - 1; i++) {
    const f0 = freqs[i];
    const f1 = freqs[i + 1];
    const a = Math.max(f0, lo);
    const b = Math.min(f1, hi);
    if (b <= a) continue;
    const slope = (psd[i + 1] - psd[i]) / (f1 - f0);
    const pa = psd[i] + slope * (a - f0);
    const pb = psd[i] + slope * (b - f0);
    total += ((pa + pb) / 2) * (b - a);
  }
  return total;
}

export interface BandPowerResult {
  /** Power per band in PSD units x Hz (e.g. uV^2). */
  absolute: Record<string, number>;
  /** absolute / power over [min band low, max band high] (1-45 Hz for EEG_BANDS). */
  relative: Record<string, number>;
  totalPower: number;
}

export function bandPowers(freqs: ArrayLike<number>, psd: ArrayLike<number>, bands: ReadonlyArray<Band> = EEG_BANDS): BandPowerResult {
  if (bands.length === 0) throw new RangeError('bandPowers needs at least one band');
  const lo = Math.min(...bands.map((b) => b.lowHz));
  const hi = Math.max(...bands.map((b) => b.highHz));
  const totalPower = integratePsd(freqs, psd, lo, hi);
  const absolute: Record<string, number> = {};
  const relative: Record<string, number> = {};
  for (const b of bands) {
    absolute[b.name] = integratePsd(freqs, psd, b.lowHz, b.highHz);
    relative[b.name] = totalPower > 0 ? absolute[b.name] / totalPower : 0;
  }
  return { absolute, relative, totalPower };
}
