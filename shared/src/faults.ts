// Why a message was refused. Each fault names one kind of bad input; the reason is a sentence
// naming the offending field and value so an integrator can fix the device.

export const FAULT_KINDS = [
  'oversize',
  'decode',
  'schema',
  'non_finite',
  'channel_count',
  'sample_rate_change',
  'seq_regression',
  'device_mismatch',
  'rate_limited',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface Fault {
  fault: FaultKind;
  reason: string;
}

export type Decoded<T> = { ok: true; value: T } | ({ ok: false } & Fault);

export function refuse<T>(fault: FaultKind, reason: string): Decoded<T> {
  return { ok: false, fault, reason };
}

export function accept<T>(value: T): Decoded<T> {
  return { ok: true, value };
}
