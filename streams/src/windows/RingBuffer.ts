// Fixed-capacity multichannel ring buffer addressed by absolute sample index.
// Storage is one channel-major Float64Array: channel c occupies [c*capacity, (c+1)*capacity).

export class RingBuffer {
  readonly nChannels: number;
  readonly capacity: number;
  private readonly data: Float64Array;
  /** Samples ever pushed; the newest sample has absolute index totalPushed - 1. */
  private pushed = 0;

  constructor(nChannels: number, capacity: number) {
    if (!Number.isInteger(nChannels) || nChannels < 1) throw new RangeError(`nChannels must be a positive integer, got ${nChannels}`);
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.nChannels = nChannels;
    this.capacity = capacity;
    this.data = new Float64Array(nChannels * capacity);
  }

  get totalPushed(): number {
    return this.pushed;
  }

  /** Samples currently held (<= capacity). */
  get length(): number {
    return Math.min(this.pushed, this.capacity);
  }

  /** Absolute index of the oldest sample still held. */
  get firstIndex(): number {
    return this.pushed - this.length;
  }

  /**
   * Append a chunk (one array per channel, equal lengths) or part of it
   * [from, to). Oldest samples are overwritten when full.
   */
  push(chunk: ReadonlyArray<ArrayLike<number>>, from = 0, to?: number): void {
    if (chunk.length !== this.nChannels) throw new RangeError(`expected ${this.nChannels} channels, got ${chunk.length}`);
    const n = chunk[0].length;
    for (let c = 1; c < chunk.length; c++) {
      if (chunk[c].length !== n) throw new RangeError(`channel ${c} has ${chunk[c].length} samples, channel 0 has ${n}`);
    }
    const end = to ?? n;
    // Only the last `capacity` samples of a big chunk can survive.
    const start = Math.max(from, end - this.capacity);
    const skipped = start - from;
    const cap = this.capacity;
    for (let c = 0; c < this.nChannels; c++) {
      const src = chunk[c];
      const base = c * cap;
      let w = (this.pushed + skipped) % cap;
      for (let i = start; i < end; i++) {
        this.data[base + w] = src[i];
        if (++w === cap) w = 0;
      }
    }
    this.pushed += end - from;
  }

  /** Copy absolute samples [startIndex, endIndex) of every channel. Throws if not (or no longer) held. */
  read(startIndex: number, endIndex: number): Float64Array[] {
    if (!(Number.isInteger(startIndex) && Number.isInteger(endIndex) && startIndex <= endIndex)) {
      throw new RangeError(`invalid range [${startIndex}, ${endIndex})`);
    }
    if (startIndex < this.firstIndex) throw new RangeError(`sample ${startIndex} was overwritten (oldest held is ${this.firstIndex})`);
    if (endIndex > this.pushed) throw new RangeError(`sample ${endIndex - 1} has not arrived yet (newest is ${this.pushed - 1})`);
    const n = endIndex - startIndex;
    const cap = this.capacity;
    const out: Float64Array[] = [];
    for (let c = 0; c < this.nChannels; c++) {
      const o = new Float64Array(n);
      const base = c * cap;
      const r = startIndex % cap;
      // At most two contiguous pieces.
      const first = Math.min(n, cap - r);
      o.set(this.data.subarray(base + r, base + r + first), 0);
      if (first < n) o.set(this.data.subarray(base, base + n - first), first);
      out.push(o);
    }
    return out;
  }

  /** The newest n samples of every channel. */
  latest(n: number): Float64Array[] {
    return this.read(this.pushed - n, this.pushed);
  }

  clear(): void {
    this.pushed = 0;
  }
}
