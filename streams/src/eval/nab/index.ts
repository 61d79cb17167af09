// NAB evaluation: scorer (pure), corpus loader and detector modes.
export * from './scorer';
export { loadNabCorpus, parseNabTime } from './corpus';
export type { NabSeries } from './corpus';
export { stagerAlertDetector, stagerPercentileDetector, stagerStageDetector, zToScore } from './fieldDetector';
export type { Detector } from './fieldDetector';
export { compositeDetector } from './improvedDetector';
export type { CompositeOptions, FeatureName } from './improvedDetector';
export { ContextNovelty, SpatialRange, TrailingZ, contextFeature, contextualDetector, hourOfDayResidual } from './contextDetector';
export type { ContextualOptions } from './contextDetector';
export { CONTEXTUAL_POOLED, MODES } from './modes';
export type { Mode } from './modes';
