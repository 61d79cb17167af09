// The once-a-second feature block of a live stream (relative band powers of each channel and
// signal quality) with every plan and buffer built once: per block it allocates only the
// arrays and objects it returns.
import { bandPowers, BandPowerPlan, EEG_BANDS, type Band } from './bandPowers';
import { SignalQualityPlan, type ChannelQuality, type SignalQualityOptions } from './signalQuality';
import { welchPsd, WelchPlan } from './welch';

export interface FeatureBlockOptions {
  nChannels: number;
  /** Samples per channel in a block. */
  len: number;
  fsHz: number;
  /** Welch segment length of the band powers (clamped to len like welchPsd). Default 256. */
  nperseg?: number;
  bands?: ReadonlyArray<Band>;
  quality?: SignalQualityOptions;
}

/**
 * Fill `input` (channel-major, channel c at [c * len, (c + 1) * len)) and call bandPowers() or
 * quality(); one buffer serves both in turn. Results equal, up to rounding (~1e-15 relative on
 * finite data):
 *   bandPowers()[c][b] = bandPowers(welchPsd(x_c, fsHz, { nperseg }).freqs, ….psd, bands).relative[bands[b].name]
 *   quality()          = signalQuality(channels, fsHz, quality)
 */
export class FeatureBlockPlan {
  readonly nChannels: number;
  readonly len: number;
  readonly fsHz: number;
  readonly bands: ReadonlyArray<Band>;
  /** The block that bandPowers() and quality() read. */
  readonly input: Float64Array;
  /** [0, 1, ..., nChannels - 1], e.g. for FlatRing.readInto. */
  readonly allChannels: ReadonlyArray<number>;
  private readonly welchOptions: { nperseg?: number };
  private readonly welch: WelchPlan;
  private readonly bandPlan: BandPowerPlan;
  private readonly qualityPlan: SignalQualityPlan;

  constructor(o: FeatureBlockOptions) {
    this.nChannels = o.nChannels;
    this.len = o.len;
    this.fsHz = o.fsHz;
    this.bands = o.bands ?? EEG_BANDS;
    this.input = new Float64Array(o.nChannels * o.len);
    this.allChannels = Array.from({ length: o.nChannels }, (_, c) => c);
    this.welchOptions = o.nperseg === undefined ? {} : { nperseg: o.nperseg };
    this.welch = new WelchPlan(o.len, o.fsHz, this.welchOptions);
    this.bandPlan = new BandPowerPlan(this.welch.freqs, this.bands);
    this.qualityPlan = new SignalQualityPlan(o.len, o.fsHz, o.quality);
  }

  /** relative[channel][band] of input. */
  bandPowers(): number[][] {
    const { len, bands, input } = this;
    const out: number[][] = new Array(this.nChannels);
    for (let c = 0; c < this.nChannels; c++) {
      const rel: number[] = [];
      for (let b = 0; b < bands.length; b++) rel.push(0);
      const psd = this.welch.psd(input, c * len);
      if (!this.bandPlan.relativeInto(psd, rel)) {
        // Non-finite data: take the reference path for its NaN/Infinity semantics.
        const ref = welchPsd(input.subarray(c * len, (c + 1) * len), this.fsHz, this.welchOptions);
        const r = bandPowers(ref.freqs, ref.psd, bands).relative;
        for (let b = 0; b < bands.length; b++) rel[b] = r[bands[b].name];
      }
      out[c] = rel;
    }
    return out;
  }

  /** Quality of each channel of input. */
  quality(): ChannelQuality[] {
    const out: ChannelQuality[] = new Array(this.nChannels);
    for (let c = 0; c < this.nChannels; c++) out[c] = this.qualityPlan.channel(this.input, c * this.len, c);
    return out;
  }
}
