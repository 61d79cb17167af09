// Stratified, shuffled k-fold splits with a seeded RNG.
import { mulberry32, shuffleInPlace } from './rng';

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
