// Field rules of an EEG chunk, shared by both encodings, applied after decoding.
import type { EegChunk } from '../messages';
import { accept, refuse, type Decoded } from '../faults';
import { isValidDeviceId } from '../subjects';
import { MAX_CHANNELS, MAX_FS_HZ, MAX_LABEL_BYTES, MAX_SAMPLES_PER_CHUNK } from './limits';

/** Frozen channel lists already found valid (they cannot change afterwards). */
const checkedChannelLists = new WeakSet<readonly string[]>();

export function validateEegChunk(chunk: EegChunk): Decoded<EegChunk> {
  const { deviceId, seq, t0Us, fsHz, channels, unit, nSamples, samples } = chunk;
  if (!isValidDeviceId(deviceId)) return refuse('schema', `deviceId ${JSON.stringify(deviceId)} must be 1-64 letters, digits, '-' or '_'`);
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return refuse('schema', `seq ${JSON.stringify(seq)} must be a non-negative integer`);
  if (typeof t0Us !== 'number' || !Number.isFinite(t0Us)) return refuse('schema', `t0Us ${JSON.stringify(t0Us)} must be a finite number of microseconds since the epoch`);
  if (!Number.isSafeInteger(Math.round(t0Us)) || t0Us < 0) return refuse('schema', `t0Us ${t0Us} is out of range`);
  if (typeof fsHz !== 'number' || !Number.isFinite(fsHz) || fsHz <= 0 || fsHz > MAX_FS_HZ) return refuse('schema', `fsHz ${JSON.stringify(fsHz)} must be in (0, ${MAX_FS_HZ}]`);
  if (typeof unit !== 'string' || unit.length === 0 || unit.length > MAX_LABEL_BYTES) return refuse('schema', 'unit must be a non-empty string such as "uV"');
  if (channels.length === 0 || channels.length > MAX_CHANNELS) return refuse('channel_count', `${channels.length} channels, expected 1..${MAX_CHANNELS}`);
  if (!checkedChannelLists.has(channels)) {
    const seen = new Set<string>();
    for (const name of channels) {
      if (typeof name !== 'string' || name.length === 0 || name.length > MAX_LABEL_BYTES) return refuse('schema', `channel name ${JSON.stringify(name)} must be a non-empty string`);
      if (seen.has(name)) return refuse('schema', `channel name ${JSON.stringify(name)} appears twice`);
      seen.add(name);
    }
    // The binary decoder hands every frame of a device the same frozen array: check it once.
    if (Object.isFrozen(channels)) checkedChannelLists.add(channels);
  }
  if (nSamples < 1 || nSamples > MAX_SAMPLES_PER_CHUNK) return refuse('schema', `${nSamples} samples per channel, expected 1..${MAX_SAMPLES_PER_CHUNK}`);
  if (samples.length !== channels.length * nSamples) return refuse('channel_count', `${samples.length} values for ${channels.length} channels x ${nSamples} samples`);
  for (let k = 0; k < samples.length; k++) {
    const v = samples[k];
    // Float32 also turns finite JSON numbers beyond ±3.4e38 into Infinity: refuse those too.
    if (!Number.isFinite(v)) return refuse('non_finite', `sample ${k % nSamples} of channel ${channels[Math.floor(k / nSamples)]} is ${v}`);
  }
  return accept(chunk);
}
