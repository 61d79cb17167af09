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

/**
 * integratePsd(freqs, psd, lowHz, highHz) as fixed weights over the bins: the trapezoid with
 * interpolated end points is linear in the PSD, so for a given frequency grid it is a weighted
 * sum over the bins [start, start + weights.length). Equal to integratePsd up to rounding when
 * the PSD is finite (every bin it touches gets a positive weight, so a non-finite PSD shows up
 * as a non-finite sum).
 */
export class PsdIntegral {
  readonly start: number;
  readonly weights: Float64Array;

  constructor(freqs: ArrayLike<number>, lowHz: number, highHz: number) {
    if (!(highHz > lowHz)) throw new RangeError(`highHz (${highHz}) must be > lowHz (${lowHz})`);
    const n = freqs.length;
    const w = new Float64Array(n);
    let first = n;
    let last = -1;
    if (n >= 2) {
      const lo = Math.max(lowHz, freqs[0]);
      const hi = Math.min(highHz, freqs[n - 1]);
      for (let i = 0; hi > lo && i < n - 1; i++) {
        const f0 = freqs[i];
        const f1 = freqs[i + 1];
        const a = Math.max(f0, lo);
        const b = Math.min(f1, hi);
        if (b <= a) continue;
        const ta = (a - f0) / (f1 - f0);
        const tb = (b - f0) / (f1 - f0);
        w[i] += ((b - a) / 2) * (2 - ta - tb);
        w[i + 1] += ((b - a) / 2) * (ta + tb);
        first = Math.min(first, i);
        last = i + 1;
      }
    }
    this.start = last < 0 ? 0 : first;
    this.weights = last < 0 ? new Float64Array(0) : w.slice(first, last + 1);
  }

  of(psd: ArrayLike<number>): number {
    const { start, weights } = this;
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i] * psd[start + i];
    return total;
  }
}

/** bandPowers() relative powers for a fixed frequency grid, without allocating. */
export class BandPowerPlan {
  readonly bands: ReadonlyArray<Band>;
  private readonly total: PsdIntegral;
  private readonly perBand: PsdIntegral[];

  constructor(freqs: ArrayLike<number>, bands: ReadonlyArray<Band> = EEG_BANDS) {
    if (bands.length === 0) throw new RangeError('bandPowers needs at least one band');
    this.bands = bands;
    const lo = Math.min(...bands.map((b) => b.lowHz));
    const hi = Math.max(...bands.map((b) => b.highHz));
    this.total = new PsdIntegral(freqs, lo, hi);
    this.perBand = bands.map((b) => new PsdIntegral(freqs, b.lowHz, b.highHz));
  }

  /**
   * Writes bandPowers(freqs, psd, bands).relative in band order to out[offset..]. Returns false,
   * with out unspecified, when the PSD in the bands is not finite: integratePsd's NaN/Infinity
   * handling differs from a weighted sum, so call bandPowers() then.
   */
  relativeInto(psd: ArrayLike<number>, out: { [i: number]: number }, offset = 0): boolean {
    const total = this.total.of(psd);
    if (!Number.isFinite(total)) return false;
    const bands = this.perBand;
    for (let b = 0; b < bands.length; b++) {
      const abs = bands[b].of(psd);
      if (!Number.isFinite(abs)) return false;
      out[offset + b] = total > 0 ? abs / total : 0;
    }
    return true;
  }
}
