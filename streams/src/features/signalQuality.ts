// Per-channel signal quality: flat, railed (saturated) or mains-noisy channels.
import { integratePsd, PsdIntegral } from './bandPowers';
import { welchPsd, WelchPlan } from './welch';

export type ChannelVerdict = 'good' | 'flat' | 'railed' | 'noisy';

export interface SignalQualityOptions {
  /** Std below this (signal units, e.g. uV) = flat. Default 0.5. */
  flatStdMax?: number;
  /** Physical limits of the amplifier (e.g. EDF physical min/max); samples at/near them are railed. */
  rails?: { min: number; max: number };
  /** How near a rail counts as "at" it, in signal units. Default 0. */
  railMargin?: number;
  /** |x| >= this counts as railed even without rails, e.g. 500 uV. */
  railAmplitude?: number;
  /** Fraction of railed samples above which the channel is 'railed'. Default 0.01. */
  railedFractionMax?: number;
  /** Mains frequency, 50 or 60 Hz. Default 50. */
  lineFreqHz?: number;
  /** Line-noise ratio above this = noisy. Default 0.5 (clean scalp EEG is ~0.01 or less). */
  lineNoiseRatioMax?: number;
  /** Welch segment length in samples; default 2 s (0.5 Hz bins), clamped to the data. */
  nperseg?: number;
}

export interface ChannelQuality {
  channel: number;
  std: number;
  railedFraction: number;
  /** Power in lineFreqHz +-1 Hz over power in 1-45 Hz; NaN when mains is above Nyquist. */
  lineNoiseRatio: number;
  verdict: ChannelVerdict;
}

function stdOf(x: ArrayLike<number>): number {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  let s = 0;
  for (let i = 0; i < n; i++) s += (x[i] - mean) ** 2;
  return Math.sqrt(s / n);
}

/** Quality of each channel of a channel-major block (a few seconds is typical). Straightforward reference; see SignalQualityPlan. */
export function signalQuality(
  channels: ReadonlyArray<ArrayLike<number>>,
  fsHz: number,
  options: SignalQualityOptions = {},
): ChannelQuality[] {
  const flatStdMax = options.flatStdMax ?? 0.5;
  const margin = options.railMargin ?? 0;
  const railedFractionMax = options.railedFractionMax ?? 0.01;
  const lineHz = options.lineFreqHz ?? 50;
  const lineMax = options.lineNoiseRatioMax ?? 0.5;
  return channels.map((x, channel) => {
    const n = x.length;
    if (n === 0) throw new RangeError(`channel ${channel} has no samples`);
    const std = stdOf(x);
    let railed = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i];
      const atRail = options.rails !== undefined && (v >= options.rails.max - margin || v <= options.rails.min + margin);
      const tooBig = options.railAmplitude !== undefined && Math.abs(v) >= options.railAmplitude;
      if (atRail || tooBig) railed++;
    }
    const railedFraction = railed / n;

    let lineNoiseRatio = NaN;
    if (lineHz + 1 < fsHz / 2 && std > 0) {
      const { freqs, psd } = welchPsd(x, fsHz, { nperseg: Math.min(n, options.nperseg ?? Math.round(2 * fsHz)) });
      const eeg = integratePsd(freqs, psd, 1, Math.min(45, fsHz / 2));
      const line = integratePsd(freqs, psd, lineHz - 1, lineHz + 1);
      lineNoiseRatio = eeg > 0 ? line / eeg : Infinity;
    }

    // Most specific cause first: a channel stuck at a rail is also flat.
    let verdict: ChannelVerdict = 'good';
    if (railedFraction > railedFractionMax) verdict = 'railed';
    else if (!(std >= flatStdMax)) verdict = 'flat';
    else if (lineNoiseRatio > lineMax) verdict = 'noisy';
    return { channel, std, railedFraction, lineNoiseRatio, verdict };
  });
}

/**
 * signalQuality() for blocks of a fixed length and sampling rate, with the Welch plan and the
 * band integrals precomputed and no allocation beyond the returned object: channel(x, offset, c)
 * equals signalQuality([x.subarray(offset, offset + len)], fsHz, options)[0] with channel c, up
 * to rounding of the line-noise ratio (~1e-15 relative for a finite signal; a non-finite one
 * takes the reference path).
 */
export class SignalQualityPlan {
  readonly len: number;
  readonly fsHz: number;
  private readonly options: SignalQualityOptions;
  private readonly flatStdMax: number;
  private readonly railedFractionMax: number;
  private readonly lineMax: number;
  private readonly railMax: number;
  private readonly railMin: number;
  private readonly railAmplitude: number;
  private readonly checkRails: boolean;
  private readonly welchOptions: { nperseg: number } | null;
  private readonly welch: WelchPlan | null;
  private readonly eeg: PsdIntegral | null;
  private readonly line: PsdIntegral | null;

  constructor(len: number, fsHz: number, options: SignalQualityOptions = {}) {
    if (!Number.isInteger(len) || len < 1) throw new RangeError(`len must be a positive integer, got ${len}`);
    this.len = len;
    this.fsHz = fsHz;
    this.options = options;
    this.flatStdMax = options.flatStdMax ?? 0.5;
    this.railedFractionMax = options.railedFractionMax ?? 0.01;
    this.lineMax = options.lineNoiseRatioMax ?? 0.5;
    const margin = options.railMargin ?? 0;
    // An unset limit is NaN, which no comparison passes.
    this.railMax = options.rails !== undefined ? options.rails.max - margin : NaN;
    this.railMin = options.rails !== undefined ? options.rails.min + margin : NaN;
    this.railAmplitude = options.railAmplitude ?? NaN;
    this.checkRails = options.rails !== undefined || options.railAmplitude !== undefined;
    const lineHz = options.lineFreqHz ?? 50;
    if (lineHz + 1 < fsHz / 2) {
      this.welchOptions = { nperseg: Math.min(len, options.nperseg ?? Math.round(2 * fsHz)) };
      this.welch = new WelchPlan(len, fsHz, this.welchOptions);
      this.eeg = new PsdIntegral(this.welch.freqs, 1, Math.min(45, fsHz / 2));
      this.line = new PsdIntegral(this.welch.freqs, lineHz - 1, lineHz + 1);
    } else {
      this.welchOptions = this.welch = this.eeg = this.line = null;
    }
  }

  /** Quality of x[offset .. offset + len), reported as channel `channel`. */
  channel(x: ArrayLike<number>, offset: number, channel: number): ChannelQuality {
    const n = this.len;
    if (offset < 0 || offset + n > x.length) throw new RangeError(`x holds ${x.length} samples, need ${offset + n}`);
    const end = offset + n;
    let mean = 0;
    for (let i = offset; i < end; i++) mean += x[i];
    mean /= n;
    let s = 0;
    for (let i = offset; i < end; i++) s += (x[i] - mean) ** 2;
    let railed = 0;
    const { railMax, railMin, railAmplitude } = this;
    if (this.checkRails) {
      for (let i = offset; i < end; i++) {
        const v = x[i];
        if (v >= railMax || v <= railMin || Math.abs(v) >= railAmplitude) railed++;
      }
    }
    const std = Math.sqrt(s / n);
    const railedFraction = railed / n;

    let lineNoiseRatio = NaN;
    if (this.welch !== null && std > 0) {
      const psd = this.welch.psd(x, offset);
      let eeg = this.eeg!.of(psd);
      let line = this.line!.of(psd);
      if (!Number.isFinite(eeg) || !Number.isFinite(line)) {
        const ref = welchPsd(Array.prototype.slice.call(x, offset, end) as number[], this.fsHz, this.welchOptions!);
        const lineHz = this.options.lineFreqHz ?? 50;
        eeg = integratePsd(ref.freqs, ref.psd, 1, Math.min(45, this.fsHz / 2));
        line = integratePsd(ref.freqs, ref.psd, lineHz - 1, lineHz + 1);
      }
      lineNoiseRatio = eeg > 0 ? line / eeg : Infinity;
    }

    let verdict: ChannelVerdict = 'good';
    if (railedFraction > this.railedFractionMax) verdict = 'railed';
    else if (!(std >= this.flatStdMax)) verdict = 'flat';
    else if (lineNoiseRatio > this.lineMax) verdict = 'noisy';
    return { channel, std, railedFraction, lineNoiseRatio, verdict };
  }
}
