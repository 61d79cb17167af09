// Message types of the wire contract. Three clocks are kept apart everywhere:
//  - device time: when the sample was taken, set by the device (t0Us, timeUs, time);
//  - receive time: when the server took the message off NATS (receivedAtUs, set by the server);
//  - processing time: when a result was computed or stored (set by the server).
// All times in microseconds since the Unix epoch are named *Us.

/** A multichannel chunk of EEG. Samples are channel-major: samples[c * nSamples + i]. */
export interface EegChunk {
  deviceId: string;
  /** Per-device sequence number: must increase from chunk to chunk (gaps are allowed), starting anywhere >= 0. */
  seq: number;
  /** Device time of the first sample, microseconds since the Unix epoch. */
  t0Us: number;
  fsHz: number;
  channels: string[];
  /** Physical unit of the samples, e.g. "uV". */
  unit: string;
  nSamples: number;
  samples: Float32Array;
}

/** The JSON encoding of an EEG chunk: samples as one array per channel. */
export interface EegChunkJson {
  deviceId: string;
  seq: number;
  t0Us: number;
  fsHz: number;
  channels: string[];
  unit: string;
  samples: number[][];
}

export const MARKER_CODES = [
  'cue_left',
  'cue_right',
  'cue_feet',
  'cue_rest',
  'trial_start',
  'trial_end',
  'session_start',
  'session_end',
  'text',
] as const;
export type MarkerCode = (typeof MARKER_CODES)[number];

/** An event on a device's time line: a cue, a trial boundary or free text. */
export interface Marker {
  deviceId: string;
  /** Device time of the event, microseconds since the Unix epoch (same clock as EegChunk.t0Us). */
  timeUs: number;
  code: MarkerCode;
  label: string;
  /** How long the event lasts, in seconds (e.g. the cue period), when known. */
  durationS?: number;
}

/** One reading of an industrial sensor: several named metrics at one device time. */
export interface SensorReading {
  deviceId: string;
  /** Device time, ISO-8601 with a zone offset, e.g. "2026-11-25T10:00:00Z". */
  time: string;
  metrics: Record<string, number>;
}
