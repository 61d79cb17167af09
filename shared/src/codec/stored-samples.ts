// Stored EEG samples are the binary frame's sample block: float32 LE, channel-major.

/** Picks channels (by index, in the order given) out of a stored sample block. */
export function pickChannels(bytes: Uint8Array, nChannels: number, nSamples: number, indexes: readonly number[]): number[][] {
  if (bytes.byteLength !== nChannels * nSamples * 4) throw new Error(`sample block of ${bytes.byteLength} bytes does not hold ${nChannels} x ${nSamples} float32`);
  // Copy into an aligned buffer: bytes from the database driver may start at any offset.
  const all = new Float32Array(nChannels * nSamples);
  new Uint8Array(all.buffer).set(bytes);
  return indexes.map((c) => Array.from(all.subarray(c * nSamples, (c + 1) * nSamples)));
}
