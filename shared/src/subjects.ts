// NATS subject layout: bci.<kind>.<deviceId>. The device id is the last token so that
// NATS permissions (publish only on bci.*.<own id>) and subject mapping for partitioning
// can both key on it.

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
  /** Wildcards for stream definitions and subscriptions. */
  all: (kind: IngestKind | 'dlq' | 'predictions' | 'alerts') => `${SUBJECT_ROOT}.${kind}.>`,
} as const;

export interface ParsedSubject {
  kind: string;
  deviceId: string;
}

/** Splits bci.<kind>.<deviceId>; returns null for anything else. */
export function parseSubject(subject: string): ParsedSubject | null {
  const parts = subject.split('.');
  if (parts.length !== 3 || parts[0] !== SUBJECT_ROOT) return null;
  return { kind: parts[1], deviceId: parts[2] };
}
