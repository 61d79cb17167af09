// Per-device rules that span messages: a device keeps its sampling rate and channel layout,
// and its sequence numbers only go forward. Pure: the caller owns the state map and feeds
// it the layout registered in the database on the device's first message.
import type { EegChunk } from './messages';
import type { Fault } from './faults';

export interface DeviceLayout {
  fsHz: number;
  channels: readonly string[];
  /** Highest seq accepted so far, or -1 before any. */
  lastSeq: number;
}

/**
 * Checks a chunk against the device's layout. `redelivered` chunks (JetStream redelivery
 * after a crash) may repeat a seq already stored: they pass, and the idempotent write drops
 * them. A fresh message whose seq does not advance is a device fault.
 */
export function checkContinuity(layout: DeviceLayout | undefined, chunk: EegChunk, redelivered: boolean): Fault | null {
  if (!layout) return null;
  if (chunk.fsHz !== layout.fsHz)
    return { fault: 'sample_rate_change', reason: `device ${chunk.deviceId} registered at ${layout.fsHz} Hz sent a chunk at ${chunk.fsHz} Hz` };
  if (chunk.channels.length !== layout.channels.length)
    return { fault: 'channel_count', reason: `device ${chunk.deviceId} registered with ${layout.channels.length} channels sent ${chunk.channels.length}` };
  for (let i = 0; i < chunk.channels.length; i++) {
    if (chunk.channels[i] !== layout.channels[i])
      return { fault: 'channel_count', reason: `channel ${i} is ${chunk.channels[i]}, registered as ${layout.channels[i]}` };
  }
  if (!redelivered && chunk.seq <= layout.lastSeq)
    return { fault: 'seq_regression', reason: `seq ${chunk.seq} does not advance past the last accepted seq ${layout.lastSeq}` };
  return null;
}
