// Univariate feature scoring (sklearn.feature_selection.f_classif; Parzen mutual information) and
// top-k selection, with the paired-feature completion of FBCSP's MIBIF.
import { mutualInformationScores } from './mutualInformation';

/** One-way ANOVA F statistic of each feature across classes (y = class indices). */
export function anovaF(X: readonly Float64Array[], y: readonly number[], nClasses: number): Float64Array {
  const N = X.length;
  const d = X[0].length;
  const F = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const sum = new Float64Array(nClasses);
    const cnt = new Float64Array(nClasses);
    let tot = 0;
    for (let i = 0; i < N; i++) {
      sum[y[i]] += X[i][j];
      cnt[y[i]]++;
      tot += X[i][j];
    }
    const m = tot / N;
    let ssb = 0;
    for (let k = 0; k < nClasses; k++) if (cnt[k] > 0) ssb += cnt[k] * (sum[k] / cnt[k] - m) ** 2;
    let ssw = 0;
    for (let i = 0; i < N; i++) ssw += (X[i][j] - sum[y[i]] / cnt[y[i]]) ** 2;
    const dfb = nClasses - 1;
    const dfw = N - nClasses;
    F[j] = ssw === 0 ? (ssb === 0 ? 0 : Infinity) : ssb / dfb / (ssw / dfw);
  }
  return F;
}

/** Indices of the k highest scores, ascending index order (ties broken by lower index). */
export function selectKBest(scores: Float64Array, k: number): number[] {
  const idx = Array.from(scores, (_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);
  return idx.slice(0, Math.min(k, idx.length)).sort((a, b) => a - b);
}

/**
 * Complete a selection with each feature's partner: pairOf[j] is the index paired with feature j
 * (an involution, pairOf[pairOf[j]] = j). Returns the union in ascending index order — between
 * selected.length and 2 × selected.length features.
 */
export function withPairs(selected: readonly number[], pairOf: readonly number[]): number[] {
  const out = new Set<number>();
  for (const j of selected) {
    const p = pairOf[j];
    if (p === undefined || pairOf[p] !== j) throw new Error(`feature ${j} has no valid pair`);
    out.add(j);
    out.add(p);
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * MIBIF (Ang et al. 2008/2012): the k features of highest Parzen mutual information with the
 * class, each completed with its paired CSP feature (the other end of the same band's spectrum).
 */
export function selectMibif(
  X: readonly Float64Array[],
  y: readonly number[],
  nClasses: number,
  k: number,
  pairOf: readonly number[],
): number[] {
  return withPairs(selectKBest(mutualInformationScores(X, y, nClasses), k), pairOf);
}
