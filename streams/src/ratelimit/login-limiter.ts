// Login throttling per (username, client address): after `maxFailures` failures within
// `windowMs`, further attempts are refused until the oldest failure leaves the window.
// Pure: the caller passes the time in, so tests need no clock.

export interface LoginLimiterOptions {
  maxFailures: number;
  windowMs: number;
  /** Bound on remembered keys; the stalest are dropped first. */
  maxKeys?: number;
}

export type LimitDecision = { allowed: true } | { allowed: false; retryAfterS: number };

export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly opts: LoginLimiterOptions) {}

  static key(username: string, ip: string): string {
    return `${username.trim().toLowerCase()}|${ip}`;
  }

  private recent(key: string, nowMs: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => t > nowMs - this.opts.windowMs);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  /** Whether an attempt may go ahead now. */
  check(key: string, nowMs: number): LimitDecision {
    const list = this.recent(key, nowMs);
    if (list.length < this.opts.maxFailures) return { allowed: true };
    const freeAt = list[list.length - this.opts.maxFailures] + this.opts.windowMs;
    return { allowed: false, retryAfterS: Math.max(1, Math.ceil((freeAt - nowMs) / 1000)) };
  }

  fail(key: string, nowMs: number): void {
    const list = this.recent(key, nowMs);
    list.push(nowMs);
    this.failures.delete(key);
    this.failures.set(key, list);
    const max = this.opts.maxKeys ?? 100_000;
    while (this.failures.size > max) this.failures.delete(this.failures.keys().next().value as string);
  }

  /** A successful login forgets the failures. */
  succeed(key: string): void {
    this.failures.delete(key);
  }
}
