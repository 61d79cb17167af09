// Sorts one fetched batch into rows to write and messages to reject. No I/O: the device
// layouts it checks against are passed in (loaded by the repository beforehand).
import {
  checkContinuity,
  CONTENT_TYPE_HEADER,
  decodeIngestMessage,
  type DeviceLayout,
  type EegChunk,
  type FaultKind,
  type IngestKind,
  type Marker,
  type SensorReading,
} from '@bci/shared';
import { processRateLimit, type IngestRateLimit } from './rate-limit';

/** What the sorter needs of a JetStream message. */
export interface RawMessage {
  subject: string;
  data: Uint8Array;
  headers: Record<string, string[]>;
  redelivered: boolean;
  stream: string;
  streamSeq: number;
  receivedAtUs: number;
  /** When JetStream stored the message (its info timestamp), if the consumer passes it; the rate limit prefers it to receivedAtUs. */
  publishedAtUs?: number;
}

export interface Accepted<T> {
  value: T;
  receivedAtUs: number;
}

export interface Rejected {
  message: RawMessage;
  kind: IngestKind | 'unknown';
  deviceId: string;
  fault: FaultKind;
  reason: string;
}

export interface SortedBatch {
  eeg: Accepted<EegChunk>[];
  markers: Accepted<Marker>[];
  sensor: Accepted<SensorReading>[];
  rejected: Rejected[];
  /** EEG devices seen for the first time in this batch, to register with their layout. */
  newEegDevices: EegChunk[];
  /** Sensor devices seen for the first time, to register. */
  newSensorDevices: string[];
}

export interface LayoutCache {
  get(deviceId: string): DeviceLayout | undefined;
  set(deviceId: string, layout: DeviceLayout): void;
  hasSensor(deviceId: string): boolean;
  addSensor(deviceId: string): void;
}

export function firstHeader(headers: Record<string, string[]>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key ? headers[key][0] : undefined;
}

/**
 * `rateLimit`: per-device message-rate limit, checked first (a flood costs no decoding); by
 * default the server's, from BCI_DEVICE_MAX_MSGS_PER_S; null = none.
 */
export function sortBatch(
  messages: RawMessage[],
  layouts: LayoutCache,
  maxPayloadBytes: number,
  rateLimit: IngestRateLimit | null = processRateLimit(),
): SortedBatch {
  const out: SortedBatch = { eeg: [], markers: [], sensor: [], rejected: [], newEegDevices: [], newSensorDevices: [] };
  for (const message of messages) {
    const limited = rateLimit?.check(message);
    if (limited) {
      out.rejected.push({ message, kind: limited.kind, deviceId: limited.deviceId, fault: 'rate_limited', reason: limited.reason });
      continue;
    }
    const d = decodeIngestMessage(message.subject, message.data, firstHeader(message.headers, CONTENT_TYPE_HEADER), { maxPayloadBytes });
    if (!d.ok) {
      out.rejected.push({ message, kind: d.kind, deviceId: d.deviceId, fault: d.fault, reason: d.reason });
      continue;
    }
    const { receivedAtUs } = message;
    if (d.kind === 'eeg') {
      const chunk = d.value;
      const layout = layouts.get(chunk.deviceId);
      const fault = checkContinuity(layout, chunk, message.redelivered);
      if (fault) {
        out.rejected.push({ message, kind: 'eeg', deviceId: chunk.deviceId, ...fault });
        continue;
      }
      if (!layout) out.newEegDevices.push(chunk);
      layouts.set(chunk.deviceId, { fsHz: chunk.fsHz, channels: chunk.channels, lastSeq: Math.max(chunk.seq, layout?.lastSeq ?? -1) });
      out.eeg.push({ value: chunk, receivedAtUs });
    } else if (d.kind === 'sensor') {
      if (!layouts.hasSensor(d.deviceId)) {
        layouts.addSensor(d.deviceId);
        out.newSensorDevices.push(d.deviceId);
      }
      out.sensor.push({ value: d.value, receivedAtUs });
    } else {
      out.markers.push({ value: d.value, receivedAtUs });
    }
  }
  return out;
}

/** One batch of the parts sorted in fetch order (their arrays concatenated in that order). */
export function mergeSortedBatches(parts: readonly SortedBatch[]): SortedBatch {
  if (parts.length === 1) return parts[0];
  const out: SortedBatch = { eeg: [], markers: [], sensor: [], rejected: [], newEegDevices: [], newSensorDevices: [] };
  for (const p of parts) {
    for (const x of p.eeg) out.eeg.push(x);
    for (const x of p.markers) out.markers.push(x);
    for (const x of p.sensor) out.sensor.push(x);
    for (const x of p.rejected) out.rejected.push(x);
    for (const x of p.newEegDevices) out.newEegDevices.push(x);
    for (const x of p.newSensorDevices) out.newSensorDevices.push(x);
  }
  return out;
}
