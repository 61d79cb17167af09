// Live EEG pipeline contract: what the server pushes to socket.io room device:<id> (and, for
// predictions, to NATS bci.predictions.<id>), and what its sessions/models REST API returns.
// Device times are µs since the epoch (*Us); server clocks are named for the step they stamp.

export const TRAINABLE_PIPELINES = ['csp-lda', 'ts-lr', 'mdm', 'fbcsp-lda'] as const;
export type TrainablePipeline = (typeof TRAINABLE_PIPELINES)[number];

/** Socket event `prediction`. */
export interface PredictionEvent {
  deviceId: string;
  /** k-th window since the stream (re)started; consecutive whatever the model does. */
  windowIndex: number;
  windowStartSample: number;
  /** Absolute index of the window's last sample. */
  windowEndSample: number;
  /** Device time of the window's last sample. */
  windowEndUs: number;
  label: string;
  classes: string[];
  probabilities: number[];
  modelId: string;
  modelVersion: number;
  /** When the chunk that completed the window came off NATS. */
  receivedAtUs: number;
  /**
   * When ingest handed the decoded chunk to the processors. This is before the database
   * commit: predictions do not wait for storage (the ack to JetStream still does).
   */
  dispatchedAtUs: number;
  /** When this was pushed. */
  emittedAtUs: number;
}

/** Socket event `band-power`: relative[channel][band] over 1–45 Hz, once a second. */
export interface BandPowerEvent {
  deviceId: string;
  /** Device time of the last sample of the block. */
  timeUs: number;
  endSample: number;
  bands: string[];
  channels: string[];
  /** relative[channel][band]: band power / 1–45 Hz power, from the notched (not band-passed) signal. */
  relative: number[][];
}

export type ChannelVerdict = 'good' | 'flat' | 'railed' | 'noisy';

export interface ChannelQualityView {
  channel: string;
  verdict: ChannelVerdict;
  std: number;
  railedFraction: number;
  lineNoiseRatio: number | null;
}

/** Socket event `quality`, once a second. */
export interface QualityEvent {
  deviceId: string;
  timeUs: number;
  endSample: number;
  channels: ChannelQualityView[];
}

export interface TrialResultView {
  cueUs: number;
  code: string;
  expected: string;
  /** Decided label; null when no window of a model that knows `expected` fell in the trial. */
  decided: string | null;
  correct: boolean;
  nWindows: number;
  votes: Record<string, number>;
  meanProbabilities: Record<string, number>;
}

/** Socket event `live-accuracy`: prediction vs cue per trial during a session. */
export interface LiveAccuracyEvent {
  deviceId: string;
  correct: number;
  total: number;
  accuracy: number | null;
  trial: TrialResultView;
}

export interface ModelMetrics {
  cvAccuracy?: number;
  cvAuc?: number;
  cvFolds?: number;
  [k: string]: unknown;
}

/** Socket event `training`: progress of a calibration. */
export type TrainingEvent = { deviceId: string; sessionId: string; pipeline: string } & (
  | { status: 'started' }
  | { status: 'epoched'; n: number; classCounts: Record<string, number>; skipped: number }
  | { status: 'done'; modelId: string; version: number; metrics: ModelMetrics | null }
  | { status: 'failed'; error: string }
);

/** A calibration session as stored. */
export interface SessionRecord {
  id: string;
  deviceId: string;
  subject: string;
  createdAt: string;
  /** Device time of the session's start/stop (null until set). */
  startedAtUs: number | null;
  stoppedAtUs: number | null;
}

/** GET /api/sessions rows. */
export interface SessionView extends SessionRecord {
  startedAt: string | null;
  stoppedAt: string | null;
}

export interface SessionMarker {
  timeUs: number;
  code: string;
  label: string;
  durationS?: number | null;
  /** 'device' (from the stream) or 'manual' (added through the sessions API). */
  source?: string;
}

/** GET /api/sessions/:id */
export interface SessionDetail extends SessionView {
  markers: SessionMarker[];
  cues: Record<string, number>;
}

/** GET /api/models rows. */
export interface ModelView {
  id: string;
  deviceId: string;
  subject: string | null;
  sessionId: string | null;
  pipeline: string;
  version: number;
  metrics: ModelMetrics | null;
  createdAt: string;
  active: boolean;
}

/** GET /api/devices/:id/predictions rows. */
export interface StoredPrediction {
  windowIndex: number;
  windowEndUs: number;
  label: string;
  classes: string[];
  probabilities: number[];
  modelId: string;
  modelVersion: number;
}
