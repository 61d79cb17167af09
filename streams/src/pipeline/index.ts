// Live EEG pipeline: per-device stream processor, live accuracy against cues, calibration epochs.
export { EegStreamProcessor, modelWindowSamples } from './EegStreamProcessor';
export type { EegStreamProcessorOptions, StreamChunk, ActiveModel, Prediction, BandPowerFrame, QualityFrame, ProcessorOutput } from './EegStreamProcessor';
export { MarkerAligner, DEFAULT_CUE_LABELS } from './MarkerAligner';
export type { MarkerAlignerOptions, CueMarker, TrialResult, LiveAccuracy, TrialDecision } from './MarkerAligner';
export { epochSession } from './sessionEpochs';
export type { SessionEpochOptions, SessionEpochs } from './sessionEpochs';
export { makeCausalFilter } from './causalFilter';
export type { CausalFilterOptions, CausalFilter } from './causalFilter';
export { FlatRing } from './flatRing';
export { DevicePipelines, deviceHash, loadModel } from './DevicePipelines';
export type { DevicePipelinesOptions, DeviceChunk, ModelSpec, ChunkResult } from './DevicePipelines';
