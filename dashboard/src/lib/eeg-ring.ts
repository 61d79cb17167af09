// The last few seconds of min/max display buckets of one EEG device, in a fixed-size ring.
// Buckets are appended in arrival order (a gap filled from REST after a reconnect may append
// older buckets); the renderer places each bucket by its time, so order does not matter.
import type { LiveEegFrame } from './types';

export class EegRing {
  readonly capacity: number;
  readonly nCh: number;
  readonly times: Float64Array;
  readonly mins: Float32Array;
  readonly maxs: Float32Array;
  /** Total buckets ever written; slot of bucket k is k % capacity. */
  written = 0;
  /** End time of the newest bucket (device time, µs). */
  lastEndUs = -Infinity;
  /** performance.now() when data last arrived. */
  lastArrivalMs = 0;

  constructor(
    readonly channels: string[],
    readonly bucketUs: number,
    seconds = 12,
  ) {
    this.nCh = channels.length;
    this.capacity = Math.ceil((seconds * 1e6) / bucketUs) + 64;
    this.times = new Float64Array(this.capacity);
    this.mins = new Float32Array(this.capacity * this.nCh);
    this.maxs = new Float32Array(this.capacity * this.nCh);
  }

  fits(f: { channels: string[]; bucketUs: number }): boolean {
    return f.channels.length === this.nCh && Math.abs(f.bucketUs - this.bucketUs) < 1 && f.channels.every((c, i) => c === this.channels[i]);
  }

  /** Appends a frame's buckets (optionally only those with time in [fromUs, toUs)); returns how many. */
  push(f: Pick<LiveEegFrame, 't0Us' | 'bucketUs' | 'nBuckets' | 'min' | 'max'>, fromUs = -Infinity, toUs = Infinity): number {
    const n = f.nBuckets;
    let added = 0;
    for (let b = 0; b < n; b++) {
      const t = f.t0Us + b * f.bucketUs;
      if (t < fromUs || t >= toUs) continue;
      const slot = this.written % this.capacity;
      this.times[slot] = t;
      const base = slot * this.nCh;
      for (let c = 0; c < this.nCh; c++) {
        this.mins[base + c] = f.min[c * n + b];
        this.maxs[base + c] = f.max[c * n + b];
      }
      this.written++;
      added++;
      if (t + f.bucketUs > this.lastEndUs) this.lastEndUs = t + f.bucketUs;
    }
    if (added) this.lastArrivalMs = performance.now();
    return added;
  }

  get size(): number {
    return Math.min(this.written, this.capacity);
  }

  /** Bucket index k (absolute) → slot, or -1 when overwritten. */
  slotOf(k: number): number {
    if (k < this.written - this.capacity || k >= this.written) return -1;
    return k % this.capacity;
  }
}

/** Min/max-decimates raw chunks from GET /eeg the way the server does, for filling gaps. */
export function decimateChunks(
  chunks: { t0Us: number; nSamples: number; samples: number[][] }[],
  fsHz: number,
  bucketUs: number,
): Pick<LiveEegFrame, 't0Us' | 'bucketUs' | 'nBuckets' | 'min' | 'max'>[] {
  const perBucket = Math.max(1, Math.round((bucketUs * fsHz) / 1e6));
  const out: Pick<LiveEegFrame, 't0Us' | 'bucketUs' | 'nBuckets' | 'min' | 'max'>[] = [];
  for (const ch of chunks) {
    const nB = Math.floor(ch.nSamples / perBucket);
    if (!nB) continue;
    const min = new Float32Array(ch.samples.length * nB);
    const max = new Float32Array(ch.samples.length * nB);
    for (let c = 0; c < ch.samples.length; c++) {
      const s = ch.samples[c];
      for (let b = 0; b < nB; b++) {
        let lo = Infinity;
        let hi = -Infinity;
        for (let i = b * perBucket; i < (b + 1) * perBucket; i++) {
          const v = s[i];
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        min[c * nB + b] = lo;
        max[c * nB + b] = hi;
      }
    }
    out.push({ t0Us: ch.t0Us, bucketUs: (perBucket * 1e6) / fsHz, nBuckets: nB, min, max });
  }
  return out;
}
