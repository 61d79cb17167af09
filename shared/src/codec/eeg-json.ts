import type { EegChunk, EegChunkJson } from '../messages';
import { accept, refuse, type Decoded } from '../faults';

export function eegChunkToJson(chunk: EegChunk): EegChunkJson {
  const samples: number[][] = [];
  for (let c = 0; c < chunk.channels.length; c++) {
    samples.push(Array.from(chunk.samples.subarray(c * chunk.nSamples, (c + 1) * chunk.nSamples)));
  }
  const { deviceId, seq, t0Us, fsHz, channels, unit } = chunk;
  return { deviceId, seq, t0Us, fsHz, channels, unit, samples };
}

export function encodeEegJson(chunk: EegChunk): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(eegChunkToJson(chunk)));
}

/**
 * Parses the JSON form into an EegChunk. Only the shape of `samples` is checked here
 * (rows of equal length, one per channel, numbers); field rules are in validate-eeg.ts.
 */
export function decodeEegJson(bytes: Uint8Array): Decoded<EegChunk> {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    return refuse('decode', `invalid JSON: ${(err as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return refuse('schema', 'EEG chunk must be a JSON object');
  const o = raw as Record<string, unknown>;
  if (!Array.isArray(o.channels)) return refuse('schema', 'channels must be an array of channel names');
  if (!Array.isArray(o.samples) || o.samples.length === 0) return refuse('schema', 'samples must be a non-empty array with one array of numbers per channel');
  const rows = o.samples as unknown[];
  if (rows.length !== o.channels.length)
    return refuse('channel_count', `samples has ${rows.length} rows but channels names ${o.channels.length}`);
  const first = rows[0];
  if (!Array.isArray(first) || first.length === 0) return refuse('schema', 'samples[0] must be a non-empty array of numbers');
  const nSamples = first.length;
  const samples = new Float32Array(rows.length * nSamples);
  for (let c = 0; c < rows.length; c++) {
    const row = rows[c];
    if (!Array.isArray(row)) return refuse('schema', `samples[${c}] must be an array of numbers`);
    if (row.length !== nSamples) return refuse('channel_count', `samples[${c}] has ${row.length} values, samples[0] has ${nSamples}`);
    for (let i = 0; i < nSamples; i++) {
      const v = row[i];
      if (typeof v !== 'number') return refuse('schema', `samples[${c}][${i}] is ${JSON.stringify(v)}, not a number`);
      samples[c * nSamples + i] = v;
    }
  }
  return accept({
    deviceId: o.deviceId as string,
    seq: o.seq as number,
    t0Us: o.t0Us as number,
    fsHz: o.fsHz as number,
    channels: o.channels as string[],
    unit: o.unit as string,
    nSamples,
    samples,
  });
}
