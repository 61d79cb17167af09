// Shared shapes for motor-imagery classifiers.

/** One trial: nChannels × nSamples, channel-major (data[c*nSamples + t]), already band-passed unless stated. */
export interface Epoch {
  data: Float64Array;
  nChannels: number;
  nSamples: number;
}

export type Label = string;

/** Recording context stored in artefacts so a live server can check it is feeding the right signal. */
export interface RecordingMeta {
  channels: string[];
  fsHz: number;
  /** Pass-bands in Hz the model expects (the input band for CSP/TS/MDM; sub-bands for FBCSP). */
  bands: [number, number][];
  /** Epoch window relative to the cue (offline) — or windowSec for a sliding online window. */
  window: { tminS: number; tmaxS: number } | { windowSec: number };
}

export interface ClassifierMetrics {
  [name: string]: number | string | number[] | number[][] | undefined;
}

/**
 * What a classifier exposes when its features are the log mean power of fixed linear spatial
 * filters of the window (CSP): a live processor can then filter each sample once as it arrives,
 * instead of the whole window at every step, and get the same numbers.
 */
export interface SpatialPowerModel {
  /** filters[f][c] over the model's channels, in meta order. */
  readonly filters: readonly (readonly number[])[];
  /** Class probabilities from log(mean power) per filter: what predictProba gives on the window. */
  probaFromLogPowers(logPowers: Float64Array): Float64Array;
}

export interface MiClassifier {
  readonly pipeline: string;
  readonly classes: readonly Label[];
  fit(epochs: readonly Epoch[], labels: readonly Label[]): this;
  /** Probabilities in the order of `classes`. */
  predictProba(epoch: Epoch): Float64Array;
  predict(epoch: Epoch): Label;
}

export function makeEpoch(data: Float64Array, nChannels: number, nSamples: number): Epoch {
  if (data.length !== nChannels * nSamples) throw new Error(`epoch length ${data.length} != ${nChannels}×${nSamples}`);
  return { data, nChannels, nSamples };
}

export function checkEpochs(epochs: readonly Epoch[], labels: readonly Label[]): { nChannels: number; nSamples: number } {
  if (epochs.length === 0) throw new Error('no epochs');
  if (epochs.length !== labels.length) throw new Error(`${epochs.length} epochs but ${labels.length} labels`);
  const { nChannels, nSamples } = epochs[0];
  for (const e of epochs) {
    if (e.nChannels !== nChannels || e.nSamples !== nSamples) throw new Error('epochs differ in shape');
    if (e.data.length !== nChannels * nSamples) throw new Error('epoch data length does not match its shape');
  }
  return { nChannels, nSamples };
}

/** Sorted unique labels — fixes the class order used by every classifier. */
export function uniqueClasses(labels: readonly Label[]): Label[] {
  return [...new Set(labels)].sort();
}
