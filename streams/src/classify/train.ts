// One call for the live server: build a pipeline by name, cross-validate it on the calibration
// trials (metrics go into the artefact), then fit on all trials.
import { crossValidate } from '../eval/crossValidate';
import { sklearnStratifiedKFold } from '../eval/kfold';
import { AlignedTangentSpaceLr, SourceSet } from './alignedTangentSpaceLr';
import { CspLda } from './cspLda';
import { Ensemble } from './ensemble';
import { FbcspLda } from './fbcspLda';
import { Mdm } from './mdm';
import { TangentSpaceLr } from './tangentSpaceLr';
import type { Epoch, Label, RecordingMeta } from './types';

export type PipelineName = 'csp-lda' | 'fbcsp-lda' | 'ts-lr' | 'mdm' | 'ra-ts-lr' | 'ra-ts-lr-ensemble';
export type AnyClassifier = CspLda | FbcspLda | TangentSpaceLr | Mdm | AlignedTangentSpaceLr | Ensemble;

/** Sensorimotor strip (FC/C/CP rows of the 10-10 system), the channel set of the improved pipeline. */
export const MOTOR_STRIP = [
  'Fc5', 'Fc3', 'Fc1', 'Fcz', 'Fc2', 'Fc4', 'Fc6',
  'C5', 'C3', 'C1', 'Cz', 'C2', 'C4', 'C6',
  'Cp5', 'Cp3', 'Cp1', 'Cpz', 'Cp2', 'Cp4', 'Cp6',
];

/** Indices of MOTOR_STRIP in `channels` (case-insensitive); throws if one is missing. */
export function motorStripIndices(channels: readonly string[]): number[] {
  const lower = channels.map((c) => c.toLowerCase());
  return MOTOR_STRIP.map((c) => {
    const i = lower.indexOf(c.toLowerCase());
    if (i < 0) throw new Error(`channel ${c} missing for the motor-strip pipeline`);
    return i;
  });
}

export interface TrainOptions {
  meta: RecordingMeta;
  /** Folds for the CV estimate stored in the artefact; 0 = skip CV. Default 5. */
  cvFolds?: number;
  seed?: number;
  /** For ra-ts-lr: other subjects' trials (same channels/band/window). */
  sources?: SourceSet[];
  /** For ra-ts-lr: channel subset. */
  channelIndices?: number[];
}

export function makePipeline(name: PipelineName, o: TrainOptions): AnyClassifier {
  switch (name) {
    case 'csp-lda':
      return new CspLda({ meta: o.meta });
    case 'fbcsp-lda':
      return new FbcspLda({ meta: o.meta, fsHz: o.meta.fsHz });
    case 'ts-lr':
      return new TangentSpaceLr({ meta: o.meta });
    case 'mdm':
      return new Mdm({ meta: o.meta });
    case 'ra-ts-lr':
      return new AlignedTangentSpaceLr({ meta: o.meta, sources: o.sources, channelIndices: o.channelIndices });
    case 'ra-ts-lr-ensemble': {
      // The eval:mi improved pipeline: 4 aligned TS+LR heads (source weights 0–0.3) averaged.
      const idx = o.channelIndices ?? motorStripIndices(o.meta.channels);
      return new Ensemble(
        'ra-ts-lr-ensemble',
        () =>
          [0, 0.03, 0.1, 0.3].map(
            (w) => new AlignedTangentSpaceLr({ C: 1, sources: w > 0 ? o.sources : [], sourceWeight: w, channelIndices: idx, meta: o.meta }),
          ),
        o.meta,
      );
    }
  }
}

export function trainClassifier(name: PipelineName, epochs: readonly Epoch[], labels: readonly Label[], o: TrainOptions): AnyClassifier {
  const k = o.cvFolds ?? 5;
  const clf = makePipeline(name, o);
  let metrics: AnyClassifier['metrics'];
  if (k >= 2) {
    const seed = o.seed ?? 42;
    const cv = crossValidate(() => makePipeline(name, o), epochs, labels, sklearnStratifiedKFold(labels, k, seed));
    metrics = { cvAccuracy: cv.accuracy, cvAuc: cv.auc, cvFolds: k, cvSeed: seed, foldAccuracies: cv.foldAccuracies, confusion: cv.confusion };
  }
  clf.fit(epochs, labels);
  clf.metrics = metrics;
  return clf;
}
