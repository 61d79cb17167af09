// Welch power spectral density, matching scipy.signal.welch defaults:
// periodic Hann window, nperseg 256, noverlap nperseg/2, detrend 'constant',
// one-sided, scaling 'density' (units^2/Hz), mean over segments.
import { RealFftPower, rfft } from './fft';

export interface WelchOptions {
  /** Segment length in samples (default 256; clamped to the signal length like scipy). */
  nperseg?: number;
  /** Overlap in samples (default floor(nperseg / 2)). */
  noverlap?: number;
  /** FFT length >= nperseg (default nperseg). */
  nfft?: number;
  detrend?: 'constant' | 'linear' | false;
  /** 'density' (default): units^2/Hz; 'spectrum': units^2 per bin. */
  scaling?: 'density' | 'spectrum';
}

export interface Psd {
  freqs: Float64Array;
  psd: Float64Array;
  /** Segments averaged. */
  nSegments: number;
}

/** Periodic ("DFT-even") Hann window, scipy.signal.get_window('hann', n). */
export function hannPeriodic(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  return w;
}

function detrendInPlace(seg: Float64Array, mode: 'constant' | 'linear'): void {
  const n = seg.length;
  if (mode === 'constant') {
    let s = 0;
    for (let i = 0; i < n; i++) s += seg[i];
    const mean = s / n;
    for (let i = 0; i < n; i++) seg[i] -= mean;
    return;
  }
  // Least-squares line through (i, seg[i]).
  const tMean = (n - 1) / 2;
  let yMean = 0;
  for (let i = 0; i < n; i++) yMean += seg[i];
  yMean /= n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (i - tMean) * (seg[i] - yMean);
    den += (i - tMean) ** 2;
  }
  const slope = den > 0 ? num / den : 0;
  for (let i = 0; i < n; i++) seg[i] -= yMean + slope * (i - tMean);
}

interface WelchParams {
  nperseg: number;
  noverlap: number;
  nfft: number;
  detrend: 'constant' | 'linear' | false;
}

function welchParams(len: number, fsHz: number, options: WelchOptions): WelchParams {
  if (!(fsHz > 0)) throw new RangeError(`fsHz must be > 0, got ${fsHz}`);
  if (len === 0) throw new RangeError('welchPsd needs at least one sample');
  const nperseg = Math.min(options.nperseg ?? 256, len);
  const noverlap = options.noverlap ?? Math.floor(nperseg / 2);
  const nfft = options.nfft ?? nperseg;
  const detrend = options.detrend ?? 'constant';
  if (!Number.isInteger(nperseg) || nperseg < 1) throw new RangeError(`nperseg must be a positive integer, got ${nperseg}`);
  if (!Number.isInteger(noverlap) || noverlap < 0 || noverlap >= nperseg) {
    throw new RangeError(`noverlap must be an integer in [0, nperseg), got ${noverlap}`);
  }
  if (!Number.isInteger(nfft) || nfft < nperseg) throw new RangeError(`nfft must be an integer >= nperseg, got ${nfft}`);
  return { nperseg, noverlap, nfft, detrend };
}

/** Straightforward reference implementation; see WelchPlan for the allocation-free variant. */
export function welchPsd(x: ArrayLike<number>, fsHz: number, options: WelchOptions = {}): Psd {
  const len = x.length;
  const { nperseg, noverlap, nfft, detrend } = welchParams(len, fsHz, options);

  const win = hannPeriodic(nperseg);
  let sumW = 0;
  let sumW2 = 0;
  for (let i = 0; i < nperseg; i++) {
    sumW += win[i];
    sumW2 += win[i] * win[i];
  }
  const scale = (options.scaling ?? 'density') === 'density' ? 1 / (fsHz * sumW2) : 1 / (sumW * sumW);
  const step = nperseg - noverlap;
  const nSegments = Math.floor((len - noverlap) / step);
  const bins = (nfft >> 1) + 1;
  const psd = new Float64Array(bins);
  const seg = new Float64Array(nperseg);
  for (let s = 0; s < nSegments; s++) {
    const off = s * step;
    for (let i = 0; i < nperseg; i++) seg[i] = x[off + i];
    if (detrend) detrendInPlace(seg, detrend);
    for (let i = 0; i < nperseg; i++) seg[i] *= win[i];
    const { re, im } = rfft(seg, nfft);
    for (let k = 0; k < bins; k++) psd[k] += re[k] * re[k] + im[k] * im[k];
  }
  // One-sided: fold negative frequencies into positive ones, except DC and (even nfft) Nyquist.
  const lastDoubled = nfft % 2 === 0 ? bins - 2 : bins - 1;
  for (let k = 0; k < bins; k++) {
    psd[k] *= scale / nSegments;
    if (k >= 1 && k <= lastDoubled) psd[k] *= 2;
  }
  const freqs = new Float64Array(bins);
  for (let k = 0; k < bins; k++) freqs[k] = (k * fsHz) / nfft;
  return { freqs, psd, nSegments };
}

/**
 * welchPsd for a fixed signal length, sampling rate and options, precomputed once (window,
 * scale, frequencies, FFT plan) and run without allocating: psd() gives the same values as
 * welchPsd(x.subarray(offset, offset + len), fsHz, options).psd up to rounding (~1e-15 of the
 * total power). The returned array is owned by the plan and overwritten by the next call.
 */
export class WelchPlan {
  readonly len: number;
  readonly fsHz: number;
  readonly nperseg: number;
  readonly noverlap: number;
  readonly nfft: number;
  readonly nSegments: number;
  /** floor(nfft/2) + 1 bin frequencies, as welchPsd returns them. */
  readonly freqs: Float64Array;
  private readonly detrend: 'constant' | 'linear' | false;
  private readonly win: Float64Array;
  /** Per-bin factor of the summed periodograms: scale / nSegments, doubled for the folded bins. */
  private readonly binScale: Float64Array;
  private readonly fft: RealFftPower;
  private paddedSeg: Float64Array | null = null;
  private readonly seg: Float64Array;
  private readonly power: Float64Array;
  private readonly out: Float64Array;

  constructor(len: number, fsHz: number, options: WelchOptions = {}) {
    const { nperseg, noverlap, nfft, detrend } = welchParams(len, fsHz, options);
    this.len = len;
    this.fsHz = fsHz;
    this.nperseg = nperseg;
    this.noverlap = noverlap;
    this.nfft = nfft;
    this.detrend = detrend;
    this.win = hannPeriodic(nperseg);
    let sumW = 0;
    let sumW2 = 0;
    for (let i = 0; i < nperseg; i++) {
      sumW += this.win[i];
      sumW2 += this.win[i] * this.win[i];
    }
    const scale = (options.scaling ?? 'density') === 'density' ? 1 / (fsHz * sumW2) : 1 / (sumW * sumW);
    this.nSegments = Math.floor((len - noverlap) / (nperseg - noverlap));
    this.fft = new RealFftPower(nfft);
    const bins = this.fft.bins;
    // welchPsd multiplies by scale / nSegments, then doubles all but DC and (even nfft) Nyquist:
    // one multiplication by f or 2f gives the same doubles (doubling is exact).
    const f = scale / this.nSegments;
    const lastDoubled = nfft % 2 === 0 ? bins - 2 : bins - 1;
    this.binScale = new Float64Array(bins);
    for (let k = 0; k < bins; k++) this.binScale[k] = k >= 1 && k <= lastDoubled ? 2 * f : f;
    this.freqs = new Float64Array(bins);
    for (let k = 0; k < bins; k++) this.freqs[k] = (k * fsHz) / nfft;
    this.seg = new Float64Array(nperseg);
    this.power = new Float64Array(bins);
    this.out = new Float64Array(bins);
  }

  /** PSD of x[offset .. offset + len); x must hold those samples. */
  psd(x: ArrayLike<number>, offset = 0): Float64Array {
    const { nperseg, nSegments, seg, win, power, out, detrend } = this;
    if (offset < 0 || offset + this.len > x.length) throw new RangeError(`x holds ${x.length} samples, need ${offset + this.len}`);
    const step = nperseg - this.noverlap;
    const bins = out.length;
    // Straight from x when the segment needs no zero padding (the usual case).
    const direct = detrend === 'constant' && this.nfft === nperseg;
    for (let s = 0; s < nSegments; s++) {
      const off = offset + s * step;
      const dst = s === 0 ? out : power;
      // One segment: scale while squaring. Several: sum, then scale below.
      const scale = nSegments === 1 ? this.binScale : null;
      if (direct) {
        let sum = 0;
        for (let i = 0; i < nperseg; i++) sum += x[off + i];
        this.fft.powerOfSegment(x, off, sum / nperseg, win, scale, dst);
      } else {
        for (let i = 0; i < nperseg; i++) seg[i] = x[off + i];
        if (detrend) detrendInPlace(seg, detrend);
        for (let i = 0; i < nperseg; i++) seg[i] *= win[i];
        this.fft.powerOfSegment(this.padded(), 0, 0, null, scale, dst);
      }
      if (s > 0) for (let k = 0; k < bins; k++) out[k] += power[k];
    }
    if (nSegments !== 1) for (let k = 0; k < bins; k++) out[k] *= this.binScale[k];
    return out;
  }

  /** seg zero-padded to nfft. */
  private padded(): Float64Array {
    if (this.nfft === this.nperseg) return this.seg;
    const p = (this.paddedSeg ??= new Float64Array(this.nfft));
    p.set(this.seg);
    return p;
  }
}
