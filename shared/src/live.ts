// socket.io contract between the server's live gateway and the dashboard.
// A client emits `subscribe` with the rooms it wants (and again after every reconnect: the
// server keeps no memory of a disconnected socket); it then receives the events below.
// After a reconnect the client fills the gap from the REST API (GET /api/devices/:id/eeg,
// /sensor, /markers with from = the last time it saw).

export const LIVE_NAMESPACE = '/live';

export const rooms = {
  /** Device list with status, once a second. */
  overview: 'overview',
  /** One device: markers, sensor readings, staged values, alerts, predictions, band power, quality. */
  device: (deviceId: string) => `device:${deviceId}`,
  /**
   * One EEG device's display traces (`eeg` frames, about 10 a second): by far the heaviest
   * stream, so it has its own room, joined only where traces are drawn.
   */
  eeg: (deviceId: string) => `eeg:${deviceId}`,
  /** The operators' alert feed. */
  alerts: 'alerts',
} as const;

export interface SubscribeRequest {
  rooms: string[];
}
export interface SubscribeReply {
  ok: boolean;
  rooms: string[];
  error?: string;
}

/** Min/max-decimated EEG for display: each bucket keeps its extremes, so peaks survive. */
export interface LiveEegFrame {
  deviceId: string;
  /** Device time of the first bucket's first sample. */
  t0Us: number;
  bucketUs: number;
  channels: string[];
  unit: string;
  nBuckets: number;
  /**
   * Channel-major float32: min[c * nBuckets + b] for channel c, bucket b. Sent as binary
   * attachments (JSON-encoding ~1,300 numbers per chunk cost more than all the live
   * processing); a client receives an ArrayBuffer (browser) or Buffer (Node): use
   * `float32View`.
   */
  min: Float32Array;
  max: Float32Array;
  receivedAtUs: number;
  emittedAtUs: number;
}

export interface LiveMarker {
  deviceId: string;
  timeUs: number;
  code: string;
  label: string;
  durationS?: number;
}

export interface LiveSensorReading {
  deviceId: string;
  time: string;
  metrics: Record<string, number>;
  receivedAtUs: number;
}

export interface DeviceStatus {
  deviceId: string;
  kind: 'eeg' | 'sensor';
  lastSeenAt: string | null;
  /** Messages per second over the last 10 s. */
  messagesPerS: number;
  online: boolean;
}

export interface LiveEvents {
  eeg: LiveEegFrame;
  marker: LiveMarker;
  sensor: LiveSensorReading;
  'device-status': DeviceStatus[];
}

/**
 * A received binary attachment as Float32Array (little-endian, like every float block in the
 * wire contract). Copies only when the bytes are not 4-aligned.
 */
export function float32View(x: ArrayBuffer | ArrayBufferView): Float32Array {
  if (x instanceof Float32Array) return x;
  if (x instanceof ArrayBuffer) return new Float32Array(x);
  const v = x as ArrayBufferView;
  if (v.byteOffset % 4 === 0) return new Float32Array(v.buffer, v.byteOffset, v.byteLength / 4);
  return new Float32Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
}
