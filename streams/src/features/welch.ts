// Welch power spectral density, matching scipy.signal.welch defaults:
// periodic Hann window, nperseg 256, noverlap nperseg/2, detrend 'constant',
// one-sided, scaling 'density' (units^2/Hz), mean over segments.
import { rfft } from './fft';

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

export function welchPsd(x: ArrayLike<number>, fsHz: number, options: WelchOptions = {}): Psd {
  if (!(fsHz > 0)) throw new RangeError(`fsHz must be > 0, got ${fsHz}`);
  const len = x.length;
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
