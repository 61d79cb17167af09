// Outbox retry schedule: capped exponential backoff with jitter. The jitter
// comes from a hash of (seed, message key, attempt) instead of Math.random(),
// so a restart recomputes the same schedule and tests are exact.

export interface RetryPolicy {
  baseDelayMs: number;
  factor: number;
  maxDelayMs: number;
  /** Give up after this many failed attempts (null = retry forever). */
  maxAttempts: number | null;
  /** 'full': U(0, d); 'equal': d/2 + U(0, d/2); 'none': d. */
  jitter: 'full' | 'equal' | 'none';
  seed: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  baseDelayMs: 1_000,
  factor: 2,
  maxDelayMs: 5 * 60_000,
  maxAttempts: 20,
  jitter: 'equal',
  seed: 0x5eed,
});

/** Deterministic uniform in [0, 1) from (seed, key, attempt): FNV-1a then a murmur3 finaliser. */
export function jitterUnit(seed: number, key: string, attempt: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  const s = `${key}#${attempt}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0; // `^` yields a signed int32; force unsigned before scaling
  return h / 4294967296;
}

/** Delay before retry number `attempt` (1 = first retry after the first failure). */
export function retryDelayMs(attempt: number, key: string, policy: RetryPolicy = DEFAULT_RETRY_POLICY): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError('attempt must be an integer ≥ 1');
  // Work in log space so huge attempt numbers cap instead of overflowing.
  const exp = Math.log(policy.baseDelayMs) + (attempt - 1) * Math.log(policy.factor);
  const d = exp >= Math.log(policy.maxDelayMs) ? policy.maxDelayMs : Math.exp(exp);
  const u = jitterUnit(policy.seed, key, attempt);
  switch (policy.jitter) {
    case 'none':
      return Math.round(d);
    case 'full':
      return Math.floor(u * d);
    case 'equal':
      return Math.floor(d / 2 + (u * d) / 2);
  }
}

export type RetryDecision = { retry: true; attempt: number; retryAt: number; delayMs: number } | { retry: false; attempts: number };

/** After the `failedAttempts`-th failed delivery at `failedAt`, when to try again (or give up). */
export function nextRetry(failedAttempts: number, failedAt: number, key: string, policy: RetryPolicy = DEFAULT_RETRY_POLICY): RetryDecision {
  if (policy.maxAttempts !== null && failedAttempts >= policy.maxAttempts) return { retry: false, attempts: failedAttempts };
  const delayMs = retryDelayMs(failedAttempts, key, policy);
  return { retry: true, attempt: failedAttempts + 1, retryAt: failedAt + delayMs, delayMs };
}
