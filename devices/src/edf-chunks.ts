// Slices an EDF recording into fixed-size EEG chunks (float32, channel-major), the last one
// possibly shorter. All signals must share one sampling rate: a chunk has one fsHz.
import type { EegChunk } from '@bci/shared';
import type { EdfRecording } from '@bci/streams/edf';

export interface EdfChunkPlan {
  fsHz: number;
  channels: string[];
  unit: string;
  totalSamples: number;
  chunkSamples: number;
  nChunks: number;
}

export function planEdfChunks(rec: EdfRecording, chunkMs: number): EdfChunkPlan {
  if (rec.signals.length === 0) throw new Error('the EDF file has no (non-annotation) signals');
  const rates = [...new Set(rec.signals.map((s) => s.fsHz))];
  if (rates.length !== 1) throw new Error(`signals have different sampling rates (${rates.join(', ')} Hz); replay needs one rate`);
  const fsHz = rates[0];
  const totalSamples = Math.min(...rec.signals.map((s) => s.samples.length));
  const chunkSamples = Math.max(1, Math.round((fsHz * chunkMs) / 1000));
  const units = [...new Set(rec.signals.map((s) => s.physicalDim || 'uV'))];
  return {
    fsHz,
    channels: rec.signals.map((s) => s.label),
    // EDF writes micro as 'u'; keep the file's unit when all channels agree.
    unit: units.length === 1 ? units[0] : 'uV',
    totalSamples,
    chunkSamples,
    nChunks: Math.ceil(totalSamples / chunkSamples),
  };
}

/** Chunk `index` of the plan: device time t0 = startUs + sample offset. */
export function edfChunk(rec: EdfRecording, plan: EdfChunkPlan, index: number, deviceId: string, seq: number, startUs: number): EegChunk {
  const from = index * plan.chunkSamples;
  const n = Math.min(plan.chunkSamples, plan.totalSamples - from);
  if (n <= 0) throw new RangeError(`chunk ${index} is past the end (${plan.nChunks} chunks)`);
  const nCh = plan.channels.length;
  const samples = new Float32Array(nCh * n);
  for (let c = 0; c < nCh; c++) samples.set(rec.signals[c].samples.subarray(from, from + n), c * n);
  return { deviceId, seq, t0Us: startUs + Math.round((from * 1e6) / plan.fsHz), fsHz: plan.fsHz, channels: plan.channels, unit: plan.unit, nSamples: n, samples };
}
