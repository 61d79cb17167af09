// Payloads the pipeline pushes: the wire contract lives in shared/src/pipeline.ts.
export type { BandPowerEvent, LiveAccuracyEvent, PredictionEvent, QualityEvent, TrainingEvent } from '@bci/shared';
