// NAB evaluation: scorer (pure), corpus loader and detector modes.
export * from './scorer';
export { loadNabCorpus, parseNabTime } from './corpus';
export type { NabSeries } from './corpus';
export { stagerPercentileDetector, stagerStageDetector, zToScore } from './fieldDetector';
export type { Detector } from './fieldDetector';
export { MODES } from './modes';
export type { Mode } from './modes';
