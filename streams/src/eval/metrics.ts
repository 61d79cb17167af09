// Classification metrics: accuracy, ROC-AUC (binary and macro one-vs-rest), confusion matrix.

export function accuracy<T>(truth: readonly T[], pred: readonly T[]): number {
  if (truth.length !== pred.length) throw new Error('length mismatch');
  if (truth.length === 0) return NaN;
  let ok = 0;
  for (let i = 0; i < truth.length; i++) if (truth[i] === pred[i]) ok++;
  return ok / truth.length;
}

/**
 * Binary ROC-AUC = P(score of a positive > score of a negative), ties counting ½ — the
 * Mann–Whitney U statistic with average ranks; equals sklearn.metrics.roc_auc_score.
 */
export function rocAuc(isPositive: readonly boolean[], scores: ArrayLike<number>): number {
  const n = isPositive.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  const ranks = new Float64Array(n);
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]] = r;
    i = j + 1;
  }
  let nPos = 0;
  let rankSum = 0;
  for (let i = 0; i < n; i++)
    if (isPositive[i]) {
      nPos++;
      rankSum += ranks[i];
    }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/**
 * Macro-averaged one-vs-rest AUC over classes (sklearn roc_auc_score(multi_class='ovr',
 * average='macro')); for two classes this equals the binary AUC of the second class's probability.
 * probs[i][k] = P(class k | trial i), truth[i] = class index.
 */
export function rocAucOvr(truth: readonly number[], probs: readonly ArrayLike<number>[], nClasses: number): number {
  if (nClasses === 2) return rocAuc(truth.map((t) => t === 1), probs.map((p) => p[1]));
  let s = 0;
  let used = 0;
  for (let k = 0; k < nClasses; k++) {
    const a = rocAuc(truth.map((t) => t === k), probs.map((p) => p[k]));
    if (!Number.isNaN(a)) {
      s += a;
      used++;
    }
  }
  return used ? s / used : NaN;
}

/** m[true][pred] counts. */
export function confusionMatrix(truth: readonly number[], pred: readonly number[], nClasses: number): number[][] {
  const m = Array.from({ length: nClasses }, () => new Array<number>(nClasses).fill(0));
  for (let i = 0; i < truth.length; i++) m[truth[i]][pred[i]]++;
  return m;
}
