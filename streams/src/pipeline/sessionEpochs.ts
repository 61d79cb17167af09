// Calibration epochs for training: the session's chunks go through the same causal filter as
// the live processor (makeCausalFilter, same options), then [cue + tmin, cue + tmax) windows
// are cut at the cue markers. Training on causally filtered data is what makes the model see
// the same signal at training and at run time.
import type { Epoch } from '../classify/types';
import { makeCausalFilter, type CausalFilterOptions } from './causalFilter';
import type { CueMarker } from './MarkerAligner';
import type { StreamChunk } from './EegStreamProcessor';

export interface SessionEpochOptions extends Omit<CausalFilterOptions, 'nChannels'> {
  nChannels: number;
  tminS?: number;
  tmaxS?: number;
  /** Cue code → class label; other markers are ignored. Default left/right hand. */
  cueLabels?: Record<string, string>;
}

export interface SessionEpochs {
  epochs: Epoch[];
  labels: string[];
  cueUs: number[];
  /** Cues whose window is not fully inside one contiguous stretch of data. */
  skipped: number;
  /** Contiguous stretches (a device-time gap starts a new one, with fresh filter state). */
  segments: number;
}

interface Segment {
  t0Us: number;
  channels: Float64Array[];
}

/** Chunks in seq order; markers in any order. */
export function epochSession(chunks: readonly StreamChunk[], markers: readonly CueMarker[], o: SessionEpochOptions): SessionEpochs {
  const nCh = o.nChannels;
  const periodUs = 1e6 / o.fsHz;
  // Split into contiguous stretches by the live processor's rule (a jump of more than one sample).
  const groups: StreamChunk[][] = [];
  let expected: number | null = null;
  for (const c of chunks) {
    if (expected === null || Math.abs(c.t0Us - expected) > periodUs) groups.push([]);
    groups[groups.length - 1].push(c);
    expected = c.t0Us + c.nSamples * periodUs;
  }
  const segments: Segment[] = groups.map((g) => {
    const len = g.reduce((s, c) => s + c.nSamples, 0);
    const channels = Array.from({ length: nCh }, () => new Float64Array(len));
    let pos = 0;
    for (const c of g) {
      for (let ch = 0; ch < nCh; ch++) {
        const dst = channels[ch];
        for (let i = 0, k = ch * c.nSamples; i < c.nSamples; i++, k++) dst[pos + i] = c.samples[k];
      }
      pos += c.nSamples;
    }
    // Causal filtering is chunk-invariant, so filtering the whole stretch at once equals live.
    const f = makeCausalFilter({ ...o, nChannels: nCh });
    f.notch?.processInPlace(channels);
    f.bandPass.processInPlace(channels);
    return { t0Us: g[0].t0Us, channels };
  });

  const labels = o.cueLabels ?? { cue_left: 'left', cue_right: 'right' };
  const off = Math.round((o.tminS ?? 0.5) * o.fsHz);
  const nS = Math.round(((o.tmaxS ?? 2.5) - (o.tminS ?? 0.5)) * o.fsHz);
  const out: SessionEpochs = { epochs: [], labels: [], cueUs: [], skipped: 0, segments: segments.length };
  for (const m of [...markers].sort((a, b) => a.timeUs - b.timeUs)) {
    const label = labels[m.code];
    if (label === undefined) continue;
    const seg = segments.find((s) => {
      const start = Math.round(((m.timeUs - s.t0Us) * o.fsHz) / 1e6) + off;
      return start >= 0 && start + nS <= s.channels[0].length;
    });
    if (!seg) {
      out.skipped++;
      continue;
    }
    const start = Math.round(((m.timeUs - seg.t0Us) * o.fsHz) / 1e6) + off;
    const data = new Float64Array(nCh * nS);
    for (let c = 0; c < nCh; c++) data.set(seg.channels[c].subarray(start, start + nS), c * nS);
    out.epochs.push({ data, nChannels: nCh, nSamples: nS });
    out.labels.push(label);
    out.cueUs.push(m.timeUs);
  }
  return out;
}
