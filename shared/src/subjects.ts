// NATS subject layout: bci.<kind>.<deviceId>. The device id is the last token so that
// NATS permissions (publish only on bci.*.<own id>) and subject mapping for partitioning
// can both key on it. With partitioning on, nats-server's subject mapping rewrites what devices
// publish to bci.<kind>.<partition>.<deviceId> before JetStream stores it (see partitionMappings).

export const SUBJECT_ROOT = 'bci';

/** Kinds of message a device publishes. */
export type IngestKind = 'eeg' | 'markers' | 'sensor';
export const INGEST_KINDS: readonly IngestKind[] = ['eeg', 'markers', 'sensor'];

/** A device id is one NATS token: letters, digits, '-' and '_', 1 to 64 characters. */
export const DEVICE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function isValidDeviceId(id: unknown): id is string {
  return typeof id === 'string' && DEVICE_ID_PATTERN.test(id);
}

function token(deviceId: string): string {
  if (!isValidDeviceId(deviceId)) throw new Error(`invalid device id ${JSON.stringify(deviceId)}: must match ${DEVICE_ID_PATTERN}`);
  return deviceId;
}

export const subjects = {
  eeg: (deviceId: string) => `${SUBJECT_ROOT}.eeg.${token(deviceId)}`,
  markers: (deviceId: string) => `${SUBJECT_ROOT}.markers.${token(deviceId)}`,
  sensor: (deviceId: string) => `${SUBJECT_ROOT}.sensor.${token(deviceId)}`,
  /** Dead letters: bci.dlq.<message kind>.<deviceId>; the fault is in the headers and body. */
  dlq: (kind: IngestKind | 'unknown', deviceId: string) =>
    `${SUBJECT_ROOT}.dlq.${kind}.${isValidDeviceId(deviceId) ? deviceId : '_invalid'}`,
  predictions: (deviceId: string) => `${SUBJECT_ROOT}.predictions.${token(deviceId)}`,
  alerts: (deviceId: string) => `${SUBJECT_ROOT}.alerts.${token(deviceId)}`,
  /** Wildcards for stream definitions and subscriptions (partitioned subjects included). */
  all: (kind: IngestKind | 'dlq' | 'predictions' | 'alerts') => `${SUBJECT_ROOT}.${kind}.>`,
  /** One partition's devices, as stored once nats-server's partition mapping is on. */
  partition: (kind: IngestKind, partition: number) => `${SUBJECT_ROOT}.${kind}.${partition}.*`,
  /** Device subjects that did not go through a partition mapping. */
  unpartitioned: (kind: IngestKind) => `${SUBJECT_ROOT}.${kind}.*`,
} as const;

export interface ParsedSubject {
  kind: string;
  deviceId: string;
  /** The partition token of a mapped subject, else null. */
  partition: number | null;
}

const PARTITION_TOKEN = /^(0|[1-9][0-9]{0,5})$/;

/** Splits bci.<kind>.<deviceId> or bci.<kind>.<partition>.<deviceId>; returns null for anything else. */
export function parseSubject(subject: string): ParsedSubject | null {
  const parts = subject.split('.');
  if (parts[0] !== SUBJECT_ROOT) return null;
  if (parts.length === 3) return { kind: parts[1], deviceId: parts[2], partition: null };
  if (parts.length === 4 && PARTITION_TOKEN.test(parts[2])) return { kind: parts[1], deviceId: parts[3], partition: Number(parts[2]) };
  return null;
}

/**
 * FNV-1a, 32 bits, over the id's bytes (device ids are ASCII): the hash nats-server's mapping
 * function `partition(n, …)` applies to the selected tokens.
 */
export function fnv1a32(token: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * The partition nats-server puts a device in under `{{partition(count,1)}}`, so a server can
 * tell which devices it owns without asking the broker (tests/integration/partitions.test.ts
 * checks it against a real nats-server).
 */
export function partitionOf(deviceId: string, count: number): number {
  return fnv1a32(deviceId) % count;
}

/** A server process's share of the devices: `owned` of the `count` partitions. */
export interface PartitionAssignment {
  count: number;
  owned: readonly number[];
}

/** Whether a process with this assignment owns the device (its consumers get the device's messages). */
export function ownsDevice(p: PartitionAssignment, deviceId: string): boolean {
  return p.count === 1 || p.owned.includes(partitionOf(deviceId, p.count));
}

/**
 * nats-server subject mappings (account level, `mappings { … }` in its configuration) that
 * insert a device's partition before the id: bci.eeg.hs-1 → bci.eeg.<p>.hs-1. Devices keep
 * publishing (and being permitted) on bci.<kind>.<id>; JetStream stores the mapped subject.
 */
export function partitionMappings(count: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kind of INGEST_KINDS) out[subjects.unpartitioned(kind)] = `${SUBJECT_ROOT}.${kind}.{{partition(${count},1)}}.{{wildcard(1)}}`;
  return out;
}
