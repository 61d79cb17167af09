// Stratified, shuffled k-fold splits with a seeded RNG.
import { mulberry32, Mt19937, shuffleInPlace } from './rng';

export interface Fold {
  train: number[];
  test: number[];
}

/**
 * Each class's indices are shuffled, then dealt to folds round-robin (continuing where the previous
 * class stopped), so every fold gets ⌊n_c/k⌋ or ⌈n_c/k⌉ trials of each class and folds differ in
 * size by at most one. Index lists are returned sorted.
 */
export function stratifiedKFold(labels: readonly (string | number)[], k: number, seed = 42): Fold[] {
  if (k < 2) throw new Error('k must be ≥ 2');
  const rng = mulberry32(seed);
  const byClass = new Map<string | number, number[]>();
  labels.forEach((l, i) => {
    const list = byClass.get(l) ?? [];
    list.push(i);
    byClass.set(l, list);
  });
  for (const [cls, idx] of byClass)
    if (idx.length < k) throw new Error(`class ${String(cls)} has ${idx.length} members, fewer than k=${k}`);
  const testOf: number[][] = Array.from({ length: k }, () => []);
  let next = 0;
  const classes = [...byClass.keys()].sort((a, b) => String(a).localeCompare(String(b)));
  for (const cls of classes) {
    const idx = shuffleInPlace([...(byClass.get(cls) ?? [])], rng);
    for (const i of idx) {
      testOf[next].push(i);
      next = (next + 1) % k;
    }
  }
  return testOf.map((test) => {
    const inTest = new Set(test);
    return {
      train: labels.map((_, i) => i).filter((i) => !inTest.has(i)),
      test: [...test].sort((a, b) => a - b),
    };
  });
}

/**
 * Same folds as sklearn.model_selection.StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
 * (sklearn ≥ 0.22 algorithm): classes are encoded in order of first appearance, per-fold class
 * allocations come from dealing the sorted labels round-robin, and each class's fold ids are
 * shuffled with numpy's legacy MT19937. Used when comparing with figures computed by sklearn.
 */
export function sklearnStratifiedKFold(labels: readonly (string | number)[], k: number, seed = 42): Fold[] {
  const rng = new Mt19937(seed);
  // np.unique sorts labels; class_perm then re-orders classes by their first index in y.
  const sorted = [...new Set(labels)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const firstIdx = sorted.map((c) => labels.indexOf(c));
  const byFirst = sorted.map((_, i) => i).sort((a, b) => firstIdx[a] - firstIdx[b]);
  const enc = new Map<string | number, number>();
  byFirst.forEach((orig, rank) => enc.set(sorted[orig], rank));
  const y = labels.map((l) => enc.get(l) as number);
  const nClasses = sorted.length;
  const yOrder = [...y].sort((a, b) => a - b);
  const allocation = Array.from({ length: k }, (_, i) => {
    const counts = new Array<number>(nClasses).fill(0);
    for (let j = i; j < yOrder.length; j += k) counts[yOrder[j]]++;
    return counts;
  });
  const testFolds = new Array<number>(labels.length).fill(-1);
  for (let c = 0; c < nClasses; c++) {
    const foldsForClass: number[] = [];
    for (let f = 0; f < k; f++) for (let r = 0; r < allocation[f][c]; r++) foldsForClass.push(f);
    rng.shuffle(foldsForClass);
    let p = 0;
    y.forEach((yc, i) => {
      if (yc === c) testFolds[i] = foldsForClass[p++];
    });
  }
  return Array.from({ length: k }, (_, f) => ({
    train: testFolds.flatMap((tf, i) => (tf !== f ? [i] : [])),
    test: testFolds.flatMap((tf, i) => (tf === f ? [i] : [])),
  }));
}
