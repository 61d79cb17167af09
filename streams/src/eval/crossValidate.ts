// Cross-validation of any MiClassifier on in-memory epochs (pure; the CLI does the file reading).
import type { Epoch, Label, MiClassifier } from '../classify/types';
import { Fold } from './kfold';
import { accuracy, confusionMatrix, rocAucOvr } from './metrics';

export interface EvalResult {
  accuracy: number;
  auc: number;
  confusion: number[][];
  classes: Label[];
  nTest: number;
}

/** Fit on one set, score on another. `fit` may add data (e.g. other subjects) — it only sees the training part. */
export function trainTest(
  make: () => MiClassifier,
  train: { epochs: readonly Epoch[]; labels: readonly Label[] },
  test: { epochs: readonly Epoch[]; labels: readonly Label[] },
): { truth: number[]; probs: Float64Array[]; classes: Label[] } {
  const clf = make().fit(train.epochs, train.labels);
  const classes = [...clf.classes];
  const probs = test.epochs.map((e) => clf.predictProba(e));
  const truth = test.labels.map((l) => classes.indexOf(l));
  return { truth, probs, classes };
}

export function scorePredictions(truth: number[], probs: Float64Array[], classes: Label[]): EvalResult {
  const pred = probs.map((p) => {
    let b = 0;
    for (let i = 1; i < p.length; i++) if (p[i] > p[b]) b = i;
    return b;
  });
  return {
    accuracy: accuracy(truth, pred),
    auc: rocAucOvr(truth, probs, classes.length),
    confusion: confusionMatrix(truth, pred, classes.length),
    classes,
    nTest: truth.length,
  };
}

/**
 * Pooled-over-folds scoring: accuracy = mean of per-fold accuracies (sklearn cross_val_score
 * convention), AUC = mean of per-fold AUCs, confusion summed over folds.
 */
export function crossValidate(
  make: () => MiClassifier,
  epochs: readonly Epoch[],
  labels: readonly Label[],
  folds: readonly Fold[],
): EvalResult & { foldAccuracies: number[]; foldAucs: number[] } {
  const foldAccuracies: number[] = [];
  const foldAucs: number[] = [];
  let confusion: number[][] | undefined;
  let classes: Label[] = [];
  for (const f of folds) {
    const r = trainTest(
      make,
      { epochs: f.train.map((i) => epochs[i]), labels: f.train.map((i) => labels[i]) },
      { epochs: f.test.map((i) => epochs[i]), labels: f.test.map((i) => labels[i]) },
    );
    const s = scorePredictions(r.truth, r.probs, r.classes);
    classes = r.classes;
    foldAccuracies.push(s.accuracy);
    foldAucs.push(s.auc);
    confusion = confusion ? confusion.map((row, i) => row.map((v, j) => v + s.confusion[i][j])) : s.confusion;
  }
  const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / a.length;
  return {
    accuracy: mean(foldAccuracies),
    auc: mean(foldAucs),
    confusion: confusion ?? [],
    classes,
    nTest: epochs.length,
    foldAccuracies,
    foldAucs,
  };
}
