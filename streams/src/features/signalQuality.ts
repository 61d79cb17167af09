// Per-channel signal quality: flat, railed (saturated) or mains-noisy channels.
import { integratePsd } from './bandPowers';
import { welchPsd } from './welch';

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

/** Quality of each channel of a channel-major block (a few seconds is typical). */
export function signalQuality(channels: ReadonlyArray<ArrayLike<number>>, fsHz: number, options: SignalQualityOptions = {}): ChannelQuality[] {
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
