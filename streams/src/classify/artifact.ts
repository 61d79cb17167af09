// Versioned JSON artefact shared by every classifier: recording context + training provenance + state.
import type { TrainingFingerprint } from './fingerprint';
import type { ClassifierMetrics, RecordingMeta } from './types';

export const ARTIFACT_FORMAT = 'bci-dataflow/mi-classifier';
export const ARTIFACT_VERSION = 1;

export interface MiArtifact<S = unknown> {
  format: typeof ARTIFACT_FORMAT;
  formatVersion: number;
  pipeline: string;
  meta: RecordingMeta;
  classes: string[];
  training: TrainingFingerprint;
  /** Cross-validated metrics, when the trainer computed them (e.g. {cvAccuracy, cvAuc, folds}). */
  metrics?: ClassifierMetrics;
  /** Pipeline hyper-parameters. */
  params: Record<string, unknown>;
  /** Fitted numeric state (plain arrays). */
  state: S;
}

export function checkArtifact(a: MiArtifact, pipeline: string): void {
  if (a.format !== ARTIFACT_FORMAT) throw new Error(`not an MI classifier artefact (format=${String(a.format)})`);
  if (a.formatVersion !== ARTIFACT_VERSION)
    throw new Error(`artefact format version ${a.formatVersion} not supported (expected ${ARTIFACT_VERSION})`);
  if (a.pipeline !== pipeline) throw new Error(`artefact is for pipeline ${a.pipeline}, not ${pipeline}`);
}

export const defaultMeta = (nChannels: number): RecordingMeta => ({
  channels: Array.from({ length: nChannels }, (_, i) => `ch${i}`),
  fsHz: 160,
  bands: [[8, 30]],
  window: { tminS: 0.5, tmaxS: 2.5 },
});
