// Rolling baseline of (time, value) points with a time span and a count cap.
// Moments are kept with Welford add/remove (O(1) per point); the order
// statistics needed by the robust fit (median, MAD) come from a sorted copy
// maintained by binary search + typed-array memmove (O(log n) compares, one
// copyWithin). Storage grows by doubling so short or warming series stay small.

const MIN_CAPACITY = 64;

export interface WindowSnapshot {
  times: number[];
  values: number[];
}

export class RollingWindow {
  private times: Float64Array;
  private values: Float64Array;
  private sorted: Float64Array | null;
  private head = 0; // index of the oldest point in the ring
  private n = 0;
  private mean = 0;
  private m2 = 0;
  private removalsSinceRefit = 0;

  constructor(
    readonly maxPoints: number,
    readonly spanMs: number,
    readonly trackOrder: boolean,
  ) {
    if (!Number.isInteger(maxPoints) || maxPoints < 2) throw new RangeError('maxPoints must be an integer ≥ 2');
    if (!(spanMs > 0)) throw new RangeError('spanMs must be > 0');
    const cap = Math.min(MIN_CAPACITY, maxPoints);
    this.times = new Float64Array(cap);
    this.values = new Float64Array(cap);
    this.sorted = trackOrder ? new Float64Array(cap) : null;
  }

  get size(): number {
    return this.n;
  }

  /** Time of the newest point, or -Infinity when empty. */
  get lastTime(): number {
    return this.n === 0 ? -Infinity : this.times[(this.head + this.n - 1) % this.times.length]!;
  }

  /** Drop points older than the span relative to `now` (points at exactly now - span are dropped). */
  evictBefore(now: number): void {
    const cutoff = now - this.spanMs;
    while (this.n > 0 && this.times[this.head]! <= cutoff) this.removeOldest();
  }

  push(time: number, value: number): void {
    if (this.n === this.maxPoints) this.removeOldest();
    if (this.n === this.times.length) this.grow();
    const cap = this.times.length;
    const idx = (this.head + this.n) % cap;
    this.times[idx] = time;
    this.values[idx] = value;
    this.n++;
    const delta = value - this.mean;
    this.mean += delta / this.n;
    this.m2 += delta * (value - this.mean);
    if (this.sorted) {
      const pos = lowerBound(this.sorted, this.n - 1, value);
      this.sorted.copyWithin(pos + 1, pos, this.n - 1);
      this.sorted[pos] = value;
    }
  }

  getMean(): number {
    return this.mean;
  }

  /** Sample standard deviation (n - 1 denominator). */
  getStd(): number {
    return this.n > 1 ? Math.sqrt(Math.max(0, this.m2) / (this.n - 1)) : 0;
  }

  getMedian(): number {
    const s = this.requireSorted();
    const n = this.n;
    if (n === 0) return NaN;
    return n % 2 === 1 ? s[(n - 1) >> 1]! : 0.5 * (s[n / 2 - 1]! + s[n / 2]!);
  }

  /**
   * Median absolute deviation from the median (unscaled). The distances
   * |s_i - m| form two already-sorted runs either side of the median
   * (A: m - s[left - i], B: s[right + j] - m), so the k-th smallest distance
   * is a binary search over how many come from A: O(log n), no sorting.
   */
  getMad(): number {
    const s = this.requireSorted();
    const n = this.n;
    if (n === 0) return NaN;
    const m = this.getMedian();
    const right = lowerBound(s, n, m);
    const left = right - 1;
    const lenA = left + 1;
    const lenB = n - right;
    const a = (i: number): number => m - s[left - i]!;
    const b = (j: number): number => s[right + j]! - m;
    const kth = (k: number): number => {
      let lo = Math.max(0, k + 1 - lenB);
      let hi = Math.min(k + 1, lenA);
      for (;;) {
        const i = (lo + hi) >> 1;
        const j = k + 1 - i;
        if (i > 0 && j < lenB && a(i - 1) > b(j)) hi = i - 1;
        else if (j > 0 && i < lenA && b(j - 1) > a(i)) lo = i + 1;
        else return Math.max(i > 0 ? a(i - 1) : -Infinity, j > 0 ? b(j - 1) : -Infinity);
      }
    };
    return n % 2 === 1 ? kth((n - 1) >> 1) : 0.5 * (kth(n / 2 - 1) + kth(n / 2));
  }

  snapshot(): WindowSnapshot {
    const times: number[] = [];
    const values: number[] = [];
    const cap = this.times.length;
    for (let i = 0; i < this.n; i++) {
      const idx = (this.head + i) % cap;
      times.push(this.times[idx]!);
      values.push(this.values[idx]!);
    }
    return { times, values };
  }

  restore(s: WindowSnapshot): void {
    if (s.times.length !== s.values.length) throw new Error('window snapshot: times/values length mismatch');
    this.head = 0;
    this.n = 0;
    this.mean = 0;
    this.m2 = 0;
    for (let i = 0; i < s.times.length; i++) this.push(s.times[i]!, s.values[i]!);
  }

  private removeOldest(): void {
    const cap = this.times.length;
    const value = this.values[this.head]!;
    this.head = (this.head + 1) % cap;
    this.n--;
    if (this.sorted) {
      const pos = lowerBound(this.sorted, this.n + 1, value);
      this.sorted.copyWithin(pos, pos + 1, this.n + 1);
    }
    if (this.n === 0) {
      this.mean = 0;
      this.m2 = 0;
      this.removalsSinceRefit = 0;
      return;
    }
    const oldMean = this.mean;
    this.mean = (oldMean * (this.n + 1) - value) / this.n;
    this.m2 -= (value - oldMean) * (value - this.mean);
    // Welford removal accumulates rounding error; an exact refit once per
    // window length keeps it bounded at O(1) amortised cost.
    if (++this.removalsSinceRefit >= this.maxPoints) this.refit();
  }

  private refit(): void {
    const cap = this.times.length;
    let mean = 0;
    let m2 = 0;
    for (let i = 0; i < this.n; i++) {
      const v = this.values[(this.head + i) % cap]!;
      const d = v - mean;
      mean += d / (i + 1);
      m2 += d * (v - mean);
    }
    this.mean = mean;
    this.m2 = m2;
    this.removalsSinceRefit = 0;
  }

  private grow(): void {
    const oldCap = this.times.length;
    const cap = Math.min(this.maxPoints, oldCap * 2);
    const t = new Float64Array(cap);
    const v = new Float64Array(cap);
    for (let i = 0; i < this.n; i++) {
      const idx = (this.head + i) % oldCap;
      t[i] = this.times[idx]!;
      v[i] = this.values[idx]!;
    }
    this.times = t;
    this.values = v;
    this.head = 0;
    if (this.sorted) {
      const s = new Float64Array(cap);
      s.set(this.sorted.subarray(0, this.n));
      this.sorted = s;
    }
  }

  private requireSorted(): Float64Array {
    if (!this.sorted) throw new Error('RollingWindow was created without order tracking (robust fit disabled)');
    return this.sorted;
  }
}

/** First index in a[0..n) with a[i] >= x. */
function lowerBound(a: Float64Array, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
