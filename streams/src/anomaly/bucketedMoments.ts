// Memory-light rolling mean/std: readings are folded into fixed time buckets
// (e.g. 1 h) holding count, mean and M2, and whole buckets expire. A 7-day
// window is then ~169 buckets (≈5 KB) instead of 10080 points (≈160 KB) —
// the difference between ~150 MB and ~5 GB for 30,000 series. The price: the
// window edge moves in bucket steps (span is 7 days plus up to one bucket) and
// the count cap is enforced per whole bucket. No order statistics, so it
// cannot serve the robust (median/MAD) fit.

export interface BucketSnapshot {
  bucketMs: number;
  /** [bucketStart, count, mean, m2] oldest first. */
  buckets: Array<[number, number, number, number]>;
  lastTime: number;
}

export class BucketedMoments {
  private starts: number[] = [];
  private counts: number[] = [];
  private means: number[] = [];
  private m2s: number[] = [];
  private head = 0;
  private n = 0;
  private newest = -Infinity;
  private cache: { mean: number; m2: number } | null = null;

  constructor(
    readonly maxPoints: number,
    readonly spanMs: number,
    readonly bucketMs: number,
  ) {
    if (!(bucketMs > 0) || !(spanMs > bucketMs)) throw new RangeError('bucketMs must be > 0 and smaller than the window span');
  }

  get size(): number {
    return this.n;
  }

  get lastTime(): number {
    return this.newest;
  }

  /** Expire buckets that end at or before now - span (a bucket lives while any part of it is in the window). */
  evictBefore(now: number): void {
    const cutoff = now - this.spanMs;
    while (this.head < this.starts.length && this.starts[this.head]! + this.bucketMs <= cutoff) this.dropOldest();
  }

  push(time: number, value: number): void {
    const start = Math.floor(time / this.bucketMs) * this.bucketMs;
    const last = this.starts.length - 1;
    if (last < this.head || this.starts[last]! !== start) {
      this.starts.push(start);
      this.counts.push(0);
      this.means.push(0);
      this.m2s.push(0);
    }
    const i = this.starts.length - 1;
    const c = ++this.counts[i]!;
    const d = value - this.means[i]!;
    this.means[i]! += d / c;
    this.m2s[i]! += d * (value - this.means[i]!);
    this.n++;
    this.newest = time;
    this.cache = null;
    // Count cap, whole buckets at a time, never dropping the bucket just written.
    while (this.n - this.counts[this.head]! >= this.maxPoints && this.head < i) this.dropOldest();
    if (this.head > 256 && this.head * 2 > this.starts.length) this.compact();
  }

  getMean(): number {
    return this.totals().mean;
  }

  getStd(): number {
    return this.n > 1 ? Math.sqrt(Math.max(0, this.totals().m2) / (this.n - 1)) : 0;
  }

  snapshot(): BucketSnapshot {
    const buckets: BucketSnapshot['buckets'] = [];
    for (let i = this.head; i < this.starts.length; i++) buckets.push([this.starts[i]!, this.counts[i]!, this.means[i]!, this.m2s[i]!]);
    return { bucketMs: this.bucketMs, buckets, lastTime: this.newest };
  }

  restore(s: BucketSnapshot): void {
    if (s.bucketMs !== this.bucketMs) throw new Error(`bucket snapshot has bucketMs ${s.bucketMs}, expected ${this.bucketMs}`);
    this.starts = s.buckets.map((b) => b[0]);
    this.counts = s.buckets.map((b) => b[1]);
    this.means = s.buckets.map((b) => b[2]);
    this.m2s = s.buckets.map((b) => b[3]);
    this.head = 0;
    this.n = this.counts.reduce((a, b) => a + b, 0);
    this.newest = s.lastTime;
    this.cache = null;
  }

  /** Chan et al. pairwise merge of the live buckets (≈ window/bucket terms, cached until the next change). */
  private totals(): { mean: number; m2: number } {
    if (this.cache) return this.cache;
    let n = 0;
    let mean = 0;
    let m2 = 0;
    for (let i = this.head; i < this.starts.length; i++) {
      const nb = this.counts[i]!;
      if (nb === 0) continue;
      const d = this.means[i]! - mean;
      const nn = n + nb;
      mean += (d * nb) / nn;
      m2 += this.m2s[i]! + (d * d * n * nb) / nn;
      n = nn;
    }
    this.cache = { mean, m2 };
    return this.cache;
  }

  private dropOldest(): void {
    this.n -= this.counts[this.head]!;
    this.head++;
    this.cache = null;
  }

  private compact(): void {
    this.starts = this.starts.slice(this.head);
    this.counts = this.counts.slice(this.head);
    this.means = this.means.slice(this.head);
    this.m2s = this.m2s.slice(this.head);
    this.head = 0;
  }
}
