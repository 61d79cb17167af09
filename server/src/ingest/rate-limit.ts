// Per-device message-rate limit of ingest: one token bucket per device subject
// (bci.<kind>.<deviceId>), `BCI_DEVICE_MAX_MSGS_PER_S` tokens a second, burst 2 s worth; off
// (0) unless set, because a replay at full speed (bci-device replay-edf --speed …) is a flood too.
// A message over the limit is refused with fault `rate_limited`: dead-lettered and acked like
// any refused message, so a flooding device cannot fill the database or starve the others, and
// its excess stays readable in BCI_DLQ and rejected_messages.
//
// Which time: the time JetStream stored the message (`publishedAtUs`) when the consumer passes
// it, else the receive time. Stored time measures what the device sent; receive time also
// includes the server's own pace, so draining a backlog (after a server restart) looks like a
// burst. Redeliveries are never charged nor refused: they were charged on first delivery (a
// batch whose write failed is redelivered), and refusing them would drop data that was within
// the limit.
import { INGEST_KINDS, isValidDeviceId, parseSubject, type IngestKind } from '@bci/shared';
import { TokenBuckets } from '@bci/streams/ratelimit';
import { loadConfig } from '../config/config';
import type { RawMessage } from './ingest-batch';

/** Burst = this many seconds' worth of messages. */
export const BURST_SECONDS = 2;

export interface RateLimitRefusal {
  kind: IngestKind;
  deviceId: string;
  reason: string;
}

export class IngestRateLimit {
  private readonly buckets: TokenBuckets;

  constructor(readonly maxMsgsPerS: number) {
    this.buckets = new TokenBuckets({ ratePerS: maxMsgsPerS, burst: Math.max(1, Math.ceil(maxMsgsPerS * BURST_SECONDS)) });
  }

  /** null when the limit is off (0). */
  static fromRate(maxMsgsPerS: number): IngestRateLimit | null {
    return maxMsgsPerS > 0 ? new IngestRateLimit(maxMsgsPerS) : null;
  }

  get burst(): number {
    return this.buckets.burst;
  }

  /** null = admitted (and charged); otherwise why it is refused. Messages on other subjects pass (the decoder refuses them). */
  check(message: RawMessage): RateLimitRefusal | null {
    if (message.redelivered) return null;
    const s = parseSubject(message.subject);
    if (!s || !(INGEST_KINDS as readonly string[]).includes(s.kind) || !isValidDeviceId(s.deviceId)) return null;
    const atUs = message.publishedAtUs ?? message.receivedAtUs;
    if (this.buckets.take(message.subject, atUs)) return null;
    return {
      kind: s.kind as IngestKind,
      deviceId: s.deviceId,
      reason: `device ${s.deviceId} sent more than ${this.maxMsgsPerS} messages/s on ${message.subject} (burst ${this.burst}); the excess is dead-lettered (BCI_DEVICE_MAX_MSGS_PER_S)`,
    };
  }
}

let processLimit: IngestRateLimit | null | undefined;

/** The server's limiter, from BCI_DEVICE_MAX_MSGS_PER_S, shared by the ingest loops of all streams. */
export function processRateLimit(): IngestRateLimit | null {
  if (processLimit === undefined) processLimit = IngestRateLimit.fromRate(loadConfig(process.env).ingest.deviceMaxMsgsPerS);
  return processLimit;
}
