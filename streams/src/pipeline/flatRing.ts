// Multichannel ring of samples addressed by absolute index, read straight into a caller's
// channel-major buffer (the classifier's Epoch layout) without per-window allocation.

export class FlatRing {
  readonly nChannels: number;
  readonly capacity: number;
  private readonly data: Float64Array;
  private pushed = 0;

  constructor(nChannels: number, capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.nChannels = nChannels;
    this.capacity = capacity;
    this.data = new Float64Array(nChannels * capacity);
  }

  get totalPushed(): number {
    return this.pushed;
  }

  /** Appends samples [from, to) of each channel. */
  push(channels: ReadonlyArray<Float64Array>, from: number, to: number): void {
    const cap = this.capacity;
    const start = Math.max(from, to - cap);
    const w = (this.pushed + start - from) % cap;
    const n = to - start;
    const first = Math.min(n, cap - w); // up to the end of the ring, then the rest from slot 0
    // Plain loops: chunks are small (16 samples), where subarray() + set() cost more than copying.
    const data = this.data;
    for (let c = 0; c < this.nChannels; c++) {
      const src = channels[c];
      const base = c * cap;
      for (let i = 0, o = base + w; i < first; i++, o++) data[o] = src[start + i];
      for (let i = first; i < n; i++) data[base + i - first] = src[start + i];
    }
    this.pushed += to - from;
  }

  /** Copies absolute samples [start, end) of the channels `channelIdx` into out[k * n + t]. */
  readInto(start: number, end: number, out: Float64Array, channelIdx: ReadonlyArray<number>): void {
    const n = end - start;
    if (start < this.pushed - this.capacity || end > this.pushed || n < 0) throw new RangeError(`samples [${start}, ${end}) are not held (have up to ${this.pushed})`);
    const cap = this.capacity;
    const r = start % cap;
    const first = Math.min(n, cap - r);
    for (let k = 0; k < channelIdx.length; k++) {
      const base = channelIdx[k] * cap;
      out.set(this.data.subarray(base + r, base + r + first), k * n);
      if (first < n) out.set(this.data.subarray(base, base + n - first), k * n + first);
    }
  }

  /** The newest n samples of every channel, one array per channel. */
  latest(n: number): Float64Array[] {
    const out = new Float64Array(this.nChannels * n);
    this.readInto(this.pushed - n, this.pushed, out, Array.from({ length: this.nChannels }, (_, c) => c));
    return Array.from({ length: this.nChannels }, (_, c) => out.subarray(c * n, (c + 1) * n));
  }

  clear(): void {
    this.pushed = 0;
  }

  /** Empties the ring so that the next sample pushed has absolute index `next`. */
  resetTo(next: number): void {
    this.pushed = next;
  }
}
