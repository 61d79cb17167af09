// The one causal filter both the live processor and calibration epoching use, so a model is
// trained on exactly the signal it will see live (not on zero-phase filtfilt output).
import { BandPassFilter, NotchFilter } from '../filters';

export interface CausalFilterOptions {
  fsHz: number;
  nChannels: number;
  /** Mains notch in Hz (50 or 60); null = no notch. Default 50. */
  notchHz?: number | null;
  notchQ?: number;
  /** Band-pass edges and Butterworth order (scipy's N). Default 8–30 Hz, order 4. */
  lowHz?: number;
  highHz?: number;
  order?: number;
}

export interface CausalFilter {
  /** Mains notch (null when disabled): its output feeds band powers. */
  notch: NotchFilter | null;
  /** Band-pass applied after the notch: its output feeds the classifier. */
  bandPass: BandPassFilter;
}

export function makeCausalFilter(o: CausalFilterOptions): CausalFilter {
  const notchHz = o.notchHz === undefined ? 50 : o.notchHz;
  // A notch at or above Nyquist cannot be designed and would do nothing anyway.
  const notch = notchHz !== null && notchHz < o.fsHz / 2 ? new NotchFilter({ freqHz: notchHz, Q: o.notchQ ?? 30, fsHz: o.fsHz, nChannels: o.nChannels }) : null;
  const bandPass = new BandPassFilter({ lowHz: o.lowHz ?? 8, highHz: o.highHz ?? 30, order: o.order ?? 4, fsHz: o.fsHz, nChannels: o.nChannels });
  return { notch, bandPass };
}
