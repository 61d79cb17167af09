// Programmatic API: start simulated or replayed devices in-process (demo launcher, tests).
// Each runner publishes until its data ends or the AbortSignal fires, then resolves with counts.
export { runSyntheticEeg, eventToMarker } from './run-eeg';
export type { SyntheticEegRunOptions } from './run-eeg';
export { runSyntheticSensor } from './run-sensor';
export type { SyntheticSensorRunOptions } from './run-sensor';
export { replayEdf } from './replay-edf';
export type { ReplayEdfOptions } from './replay-edf';
export { replayCsv, loadCsvSeries } from './replay-csv';
export type { ReplayCsvOptions } from './replay-csv';
export type { RunHooks, RunStats } from './runtime';
export { parseCsv, csvToSeries, parseCsvTime, metricName } from './csv';
export { parseAnomalySpec } from './anomaly-spec';
export { defaultAnnotationMap, parseAnnotationMap, annotationToMarker } from './annotations';
export type { AnnotationMap } from './annotations';
