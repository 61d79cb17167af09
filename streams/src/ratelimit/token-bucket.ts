// Token buckets keyed by a string (a device, a subject): `rate` tokens per second refill a bucket
// of at most `burst` tokens; each message takes one. Pure and deterministic: time is passed in
// (microseconds), never read from a clock, so tests and replays give the same answers.

export interface TokenBucketOptions {
  /** Tokens added per second (> 0). */
  ratePerS: number;
  /** Bucket size: how many messages may arrive at once after a quiet period (≥ 1). */
  burst: number;
}

interface Bucket {
  tokens: number;
  /** Time of the last refill; never goes backwards. */
  atUs: number;
}

/** Idle full buckets are dropped every this often, so memory follows the active keys. */
const PRUNE_EVERY_US = 60_000_000;

export class TokenBuckets {
  readonly ratePerS: number;
  readonly burst: number;
  private readonly buckets = new Map<string, Bucket>();
  private lastPruneUs = -Infinity;

  constructor(options: TokenBucketOptions) {
    if (!(options.ratePerS > 0) || !Number.isFinite(options.ratePerS))
      throw new RangeError(`ratePerS must be a positive number, got ${options.ratePerS}`);
    if (!(options.burst >= 1) || !Number.isFinite(options.burst)) throw new RangeError(`burst must be at least 1, got ${options.burst}`);
    this.ratePerS = options.ratePerS;
    this.burst = options.burst;
  }

  /**
   * Takes `cost` tokens from `key`'s bucket at time `nowUs` if it holds that many, and says
   * whether it did. A refused take costs nothing, so a sender over the limit still gets exactly
   * `ratePerS` through. A time earlier than the bucket's last one (out-of-order input) adds
   * no tokens rather than removing any.
   */
  take(key: string, nowUs: number, cost = 1): boolean {
    const b = this.refilled(key, nowUs);
    if (nowUs - this.lastPruneUs >= PRUNE_EVERY_US) this.prune(nowUs);
    if (b.tokens + 1e-9 < cost) return false;
    b.tokens -= cost;
    this.buckets.set(key, b);
    return true;
  }

  /** Tokens `key` would have at `nowUs` (burst for an unknown key); does not change state. */
  available(key: string, nowUs: number): number {
    const b = this.buckets.get(key);
    return b ? Math.min(this.burst, b.tokens + (Math.max(0, nowUs - b.atUs) / 1e6) * this.ratePerS) : this.burst;
  }

  /** Number of keys with state (buckets not yet full again). */
  get size(): number {
    return this.buckets.size;
  }

  /** Forgets buckets that have refilled completely by `nowUs`: they behave like new ones. */
  prune(nowUs: number): void {
    this.lastPruneUs = nowUs;
    for (const [key, b] of this.buckets) if (this.available(key, nowUs) >= this.burst && nowUs >= b.atUs) this.buckets.delete(key);
  }

  private refilled(key: string, nowUs: number): Bucket {
    const b = this.buckets.get(key);
    if (!b) return { tokens: this.burst, atUs: nowUs };
    if (nowUs > b.atUs) {
      b.tokens = Math.min(this.burst, b.tokens + ((nowUs - b.atUs) / 1e6) * this.ratePerS);
      b.atUs = nowUs;
    }
    return b;
  }
}
