// Motor-imagery trials from a decoded EDF+ run (EEGMMIDB layout): band-pass each run zero-phase,
// then cut cue-locked windows. Pure: the caller reads the bytes.
import { cutEpochs } from '../classify/epoching';
import type { Epoch } from '../classify/types';
import type { EdfRecording } from '../edf';
import { butterSos, sosfiltfilt } from '../filters';

export interface MiRunOptions {
  /** Pass-band in Hz; null = no filtering (raw epochs, e.g. for FBCSP with its own filter bank). */
  band: [number, number] | null;
  /** Butterworth prototype order (scipy `N`; a band-pass has 2N poles). */
  order?: number;
  /** Padding for the forward-backward filter; the reference figures used 80. */
  padlen?: number;
  tminS: number;
  tmaxS: number;
  codes: Record<string, string>;
  /** Restrict/reorder channels by label; default all ordinary signals. */
  channels?: string[];
}

export const LEFT_RIGHT_CODES: Record<string, string> = { T1: 'left', T2: 'right' };

export function miEpochsFromRecording(
  rec: EdfRecording,
  opts: MiRunOptions,
): { epochs: Epoch[]; labels: string[]; channels: string[]; fsHz: number } {
  let signals = rec.signals;
  if (opts.channels) {
    signals = opts.channels.map((name) => {
      const s = rec.signals.find((x) => x.label === name);
      if (!s) throw new Error(`channel ${name} not in recording`);
      return s;
    });
  }
  const fsHz = signals[0].fsHz;
  if (signals.some((s) => s.fsHz !== fsHz)) throw new Error('channels have different sampling rates');
  let data = signals.map((s) => s.samples);
  if (opts.band) {
    const sos = butterSos(opts.order ?? 4, opts.band, 'bandpass', fsHz);
    data = data.map((x) => sosfiltfilt(sos, x, opts.padlen === undefined ? {} : { padlen: opts.padlen }));
  }
  const { epochs, labels } = cutEpochs(data, fsHz, rec.annotations, opts);
  return { epochs, labels, channels: signals.map((s) => s.label), fsHz };
}
