import { sklearnStratifiedKFold, stratifiedKFold } from './kfold';
import { accuracy, confusionMatrix, rocAuc, rocAucOvr } from './metrics';
import { Mt19937 } from './rng';
import cases from './reference/sklearn_folds.json';

describe('k-fold', () => {
  it('MT19937 matches the reference sequence for seed 5489', () => {
    // First outputs of the canonical mt19937ar with init_genrand(5489).
    const mt = new Mt19937(5489);
    expect([mt.nextUint32(), mt.nextUint32(), mt.nextUint32()]).toEqual([3499211612, 581869302, 3890346734]);
  });
  it.each(cases.map((c, i) => [i, c] as const))('sklearn StratifiedKFold folds reproduced (case %i)', (_i, c) => {
    const folds = sklearnStratifiedKFold(c.labels as (string | number)[], 5, 42);
    expect(folds.map((f) => f.test)).toEqual(c.test);
  });
  it('seeded stratified folds are disjoint, cover everything, balanced and reproducible', () => {
    const y = Array.from({ length: 45 }, (_, i) => (i % 3 === 0 ? 'a' : 'b'));
    const f1 = stratifiedKFold(y, 5, 7);
    expect(stratifiedKFold(y, 5, 7)).toEqual(f1);
    expect(stratifiedKFold(y, 5, 8)).not.toEqual(f1);
    const all = f1.flatMap((f) => f.test).sort((a, b) => a - b);
    expect(all).toEqual(y.map((_, i) => i));
    for (const f of f1) {
      expect(f.test.length).toBe(9);
      expect(f.test.filter((i) => y[i] === 'a').length).toBe(3);
      expect(f.train.length + f.test.length).toBe(45);
    }
  });
});

describe('metrics', () => {
  it('accuracy, AUC with ties, confusion', () => {
    expect(accuracy([1, 0, 1, 1], [1, 0, 0, 1])).toBe(0.75);
    // sklearn.metrics.roc_auc_score([0,0,1,1],[0.1,0.4,0.35,0.8]) = 0.75
    expect(rocAuc([false, false, true, true], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.75, 12);
    expect(rocAuc([false, true], [0.5, 0.5])).toBe(0.5);
    expect(rocAucOvr([0, 1, 0, 1], [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7]], 2)).toBe(1);
    expect(confusionMatrix([0, 1, 1], [0, 0, 1], 2)).toEqual([[1, 0], [1, 1]]);
  });
});
