// Parity with scikit-learn 1.2.1 on fixed inputs (values from reference/make_reference.py).
import { ledoitWolfFeatures } from './covariance';
import { fitShrinkageLda, ldaProba } from './lda';
import { fitLogisticRegression, logRegProba } from './logreg';
import ref from './reference/reference.json';

const rows = (X: number[][]): Float64Array[] => X.map((r) => Float64Array.from(r));

describe('Ledoit-Wolf matches sklearn.covariance.ledoit_wolf', () => {
  it.each(ref.ledoitWolf.map((c, i) => [i, c] as const))('case %i', (_i, c) => {
    const { covariance, shrinkage } = ledoitWolfFeatures(rows(c.X));
    expect(shrinkage).toBeCloseTo(c.shrinkage, 12);
    const p = c.covariance.length;
    for (let i = 0; i < p; i++)
      for (let j = 0; j < p; j++) expect(covariance[i * p + j]).toBeCloseTo(c.covariance[i][j], 10);
  });
});

describe('shrinkage LDA matches LinearDiscriminantAnalysis(solver=lsqr, shrinkage=auto)', () => {
  it.each(ref.lda.map((c, i) => [i, c] as const))('case %i', (_i, c) => {
    const X = rows(c.X);
    const s = fitShrinkageLda(X, c.y, c.nClasses);
    c.coef.forEach((r, k) => r.forEach((v, j) => expect(s.coef[k][j]).toBeCloseTo(v, 8)));
    c.intercept.forEach((v, k) => expect(s.intercept[k]).toBeCloseTo(v, 8));
    X.forEach((x, i) => c.proba[i].forEach((p, k) => expect(ldaProba(s, x)[k]).toBeCloseTo(p, 8)));
  });
});

describe('logistic regression matches LogisticRegression(C=1) at tight tolerance', () => {
  it.each(ref.logreg.map((c, i) => [i, c] as const))('case %i', (_i, c) => {
    const X = rows(c.X);
    const s = fitLogisticRegression(X, c.y, c.nClasses, 1);
    expect(s.converged).toBe(true);
    c.coef.forEach((r, k) => r.forEach((v, j) => expect(s.coef[k][j]).toBeCloseTo(v, 4)));
    X.forEach((x, i) => c.proba[i].forEach((p, k) => expect(logRegProba(s, x)[k]).toBeCloseTo(p, 4)));
  });
});
