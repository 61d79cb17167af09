// Binary EEG frame, little-endian throughout:
//   0  4  magic "BCIE"
//   4  1  version (1)
//   5  1  flags (0, reserved)
//   6  2  header length in bytes (offset of the first sample, a multiple of 4)
//   8  8  seq          float64 (an integer below 2^53)
//  16  8  t0Us         float64 (an integer below 2^53)
//  24  8  fsHz         float64
//  32  2  nChannels    uint16
//  34  4  nSamples     uint32
//  38  …  unit, deviceId, then each channel name: uint8 byte length + UTF-8 bytes
//   …     zero padding to a multiple of 4
//   H  …  samples, float32, channel-major (all of channel 0, then channel 1, …)
// Floats are float32 because that is what amplifiers deliver and what we store; JSON
// input is rounded to float32 the same way, so both encodings store identical values.
import type { EegChunk } from '../messages';
import { accept, refuse, type Decoded } from '../faults';
import { MAX_CHANNELS, MAX_LABEL_BYTES, MAX_SAMPLES_PER_CHUNK } from './limits';

const MAGIC = 0x45494342; // "BCIE" read as little-endian uint32
const VERSION = 1;
const FIXED_HEADER_BYTES = 38;
const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

export function encodeEegFrame(chunk: EegChunk): Uint8Array {
  const strings = [chunk.unit, chunk.deviceId, ...chunk.channels].map((s) => utf8.encode(s));
  for (const s of strings) if (s.length > MAX_LABEL_BYTES) throw new Error(`label longer than ${MAX_LABEL_BYTES} bytes`);
  if (chunk.channels.length > MAX_CHANNELS) throw new Error(`more than ${MAX_CHANNELS} channels`);
  if (chunk.samples.length !== chunk.channels.length * chunk.nSamples)
    throw new Error(`samples length ${chunk.samples.length} != channels ${chunk.channels.length} x nSamples ${chunk.nSamples}`);
  const stringBytes = strings.reduce((n, s) => n + 1 + s.length, 0);
  const headerBytes = Math.ceil((FIXED_HEADER_BYTES + stringBytes) / 4) * 4;
  const out = new Uint8Array(headerBytes + chunk.samples.length * 4);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint8(4, VERSION);
  view.setUint8(5, 0);
  view.setUint16(6, headerBytes, true);
  view.setFloat64(8, chunk.seq, true);
  view.setFloat64(16, chunk.t0Us, true);
  view.setFloat64(24, chunk.fsHz, true);
  view.setUint16(32, chunk.channels.length, true);
  view.setUint32(34, chunk.nSamples, true);
  let off = FIXED_HEADER_BYTES;
  for (const s of strings) {
    out[off++] = s.length;
    out.set(s, off);
    off += s.length;
  }
  // The sample block starts 4-aligned inside `out`, so a Float32Array view is valid on
  // little-endian hosts (every platform Node supports); copy in one call.
  new Float32Array(out.buffer, headerBytes, chunk.samples.length).set(chunk.samples);
  return out;
}

/** Decodes a frame; a malformed frame is refused with a reason, never thrown. */
export function decodeEegFrame(bytes: Uint8Array): Decoded<EegChunk> {
  if (bytes.length < FIXED_HEADER_BYTES) return refuse('decode', `frame of ${bytes.length} bytes is shorter than the ${FIXED_HEADER_BYTES}-byte header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) return refuse('decode', 'frame does not start with the magic bytes "BCIE"');
  const version = view.getUint8(4);
  if (version !== VERSION) return refuse('decode', `unsupported frame version ${version} (expected ${VERSION})`);
  const headerBytes = view.getUint16(6, true);
  const seq = view.getFloat64(8, true);
  const t0Us = view.getFloat64(16, true);
  const fsHz = view.getFloat64(24, true);
  const nChannels = view.getUint16(32, true);
  const nSamples = view.getUint32(34, true);
  if (nChannels === 0 || nChannels > MAX_CHANNELS) return refuse('schema', `nChannels ${nChannels} outside 1..${MAX_CHANNELS}`);
  if (nSamples === 0 || nSamples > MAX_SAMPLES_PER_CHUNK) return refuse('schema', `nSamples ${nSamples} outside 1..${MAX_SAMPLES_PER_CHUNK}`);
  const labels = decodeLabels(bytes, nChannels, headerBytes);
  if (typeof labels === 'string') return refuse('decode', labels);
  const off = labels.end;
  if (headerBytes % 4 !== 0 || headerBytes < off) return refuse('decode', `header length ${headerBytes} is inconsistent with its labels`);
  const expectedBytes = headerBytes + nChannels * nSamples * 4;
  if (bytes.length !== expectedBytes)
    return refuse('channel_count', `frame holds ${bytes.length - headerBytes} sample bytes, but ${nChannels} channels x ${nSamples} samples need ${expectedBytes - headerBytes}`);
  // Copy out: the incoming buffer may be reused by the transport and may be unaligned.
  const samples = allocSamples(nChannels * nSamples);
  new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength).set(bytes.subarray(headerBytes, expectedBytes));
  const { unit, deviceId, channels } = labels;
  return accept({ deviceId, seq, t0Us, fsHz, channels, unit, nSamples, samples });
}

// Sample blocks are carved out of shared slabs, as Node's Buffer pool does for small buffers:
// a 4 KB typed array of its own costs an off-heap allocation and GC bookkeeping per frame, which
// showed as a tenth of ingest's time. A slab lives while any block in it does. Consumers must
// respect byteOffset (and copy or pack before postMessage: structured clone copies the whole
// underlying buffer).
const SLAB_BYTES = 256 * 1024;
let slab = new ArrayBuffer(SLAB_BYTES);
let slabUsed = 0;

function allocSamples(n: number): Float32Array {
  const bytes = n * 4;
  if (bytes > SLAB_BYTES / 8) return new Float32Array(n);
  if (slabUsed + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabUsed = 0;
  }
  const out = new Float32Array(slab, slabUsed, n);
  slabUsed += bytes;
  return out;
}

interface Labels {
  unit: string;
  deviceId: string;
  /** Shared by every frame with the same label bytes, and frozen: never mutate. */
  channels: string[];
  /** Offset just past the last label. */
  end: number;
}

// A device sends the same unit, id and channel names in every frame: decoding 66 UTF-8 labels
// per frame was a third of ingest's decode time. Label blocks are cached by their bytes (hash,
// then a full byte comparison), so a frame costs one pass over its label bytes; frames share
// one frozen channel array, which also lets validation check those names once.
const LABEL_CACHE_MAX = 4096;
const labelCache = new Map<number, { bytes: Uint8Array; labels: Labels }[]>();
let labelCacheSize = 0;

function decodeLabels(bytes: Uint8Array, nChannels: number, headerBytes: number): Labels | string {
  const end = Math.min(headerBytes, bytes.length);
  let h = 0x811c9dc5 ^ nChannels;
  for (let i = FIXED_HEADER_BYTES; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  const bucket = labelCache.get(h);
  if (bucket) {
    for (const e of bucket) if (sameBytes(e.bytes, bytes, FIXED_HEADER_BYTES, end)) return e.labels;
  }
  const strings: string[] = [];
  let off = FIXED_HEADER_BYTES;
  for (let i = 0; i < nChannels + 2; i++) {
    if (off >= headerBytes) return `header ends inside label ${i}`;
    const len = bytes[off++];
    if (off + len > headerBytes) return `label ${i} runs past the header`;
    try {
      strings.push(utf8Decoder.decode(bytes.subarray(off, off + len)));
    } catch {
      return `label ${i} is not valid UTF-8`;
    }
    off += len;
  }
  const labels: Labels = { unit: strings[0], deviceId: strings[1], channels: Object.freeze(strings.slice(2)) as string[], end: off };
  if (labelCacheSize >= LABEL_CACHE_MAX) {
    labelCache.clear();
    labelCacheSize = 0;
  }
  const entry = { bytes: bytes.slice(FIXED_HEADER_BYTES, end), labels };
  if (bucket) bucket.push(entry);
  else labelCache.set(h, [entry]);
  labelCacheSize++;
  return labels;
}

function sameBytes(cached: Uint8Array, bytes: Uint8Array, from: number, end: number): boolean {
  if (cached.length !== end - from) return false;
  for (let i = 0; i < cached.length; i++) if (cached[i] !== bytes[from + i]) return false;
  return true;
}
