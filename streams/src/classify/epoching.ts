// Cut labelled trials out of a continuous multichannel recording at annotation onsets.
import type { Epoch } from './types';

export interface Annotation {
  onsetS: number;
  durationS: number;
  text: string;
}

export interface EpochingOptions {
  /** Window start/end relative to the cue, seconds; [tmin, tmax) → round((tmax−tmin)·fs) samples. */
  tminS: number;
  tmaxS: number;
  /** Annotation text → class label; annotations not listed are ignored (e.g. {T1:'left', T2:'right'}). */
  codes: Record<string, string>;
}

/**
 * `channels[c]` are equally long sample arrays at fsHz. The cue sample is round(onset·fs), as MNE's
 * events_from_annotations; trials whose window leaves the recording are dropped.
 */
export function cutEpochs(
  channels: readonly Float64Array[],
  fsHz: number,
  annotations: readonly Annotation[],
  opts: EpochingOptions,
): { epochs: Epoch[]; labels: string[]; onsetsS: number[] } {
  const nCh = channels.length;
  const len = channels[0].length;
  const nS = Math.round((opts.tmaxS - opts.tminS) * fsHz);
  const off = Math.round(opts.tminS * fsHz);
  const epochs: Epoch[] = [];
  const labels: string[] = [];
  const onsetsS: number[] = [];
  for (const a of annotations) {
    const label = opts.codes[a.text.trim()];
    if (label === undefined) continue;
    const start = Math.round(a.onsetS * fsHz) + off;
    if (start < 0 || start + nS > len) continue;
    const data = new Float64Array(nCh * nS);
    for (let c = 0; c < nCh; c++) data.set(channels[c].subarray(start, start + nS), c * nS);
    epochs.push({ data, nChannels: nCh, nSamples: nS });
    labels.push(label);
    onsetsS.push(a.onsetS);
  }
  return { epochs, labels, onsetsS };
}
