// Payloads the pipeline pushes to socket.io room device:<id> (and, for predictions, to NATS
// bci.predictions.<id> as JSON).
import type { BandPowerFrame, LiveAccuracy, Prediction, QualityFrame, TrialResult } from '@bci/streams/pipeline';

export interface PredictionEvent extends Prediction {
  deviceId: string;
  /** When the chunk that completed the window came off NATS, and when this was pushed. */
  receivedAtUs: number;
  /** When ingest handed over the committed batch (after its database transaction). */
  committedAtUs: number;
  emittedAtUs: number;
}

export interface BandPowerEvent extends BandPowerFrame {
  deviceId: string;
}

export interface QualityEvent extends QualityFrame {
  deviceId: string;
}

export interface LiveAccuracyEvent extends Omit<LiveAccuracy, 'last'> {
  deviceId: string;
  trial: TrialResult;
}

export type TrainingEvent = {
  deviceId: string;
  sessionId: string;
  pipeline: string;
} & (
  | { status: 'started' }
  | { status: 'epoched'; n: number; classCounts: Record<string, number>; skipped: number }
  | { status: 'done'; modelId: string; version: number; metrics: unknown }
  | { status: 'failed'; error: string }
);
