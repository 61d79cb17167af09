// Shrinkage LDA, matching sklearn LinearDiscriminantAnalysis(solver='lsqr', shrinkage='auto'):
// per-class Ledoit-Wolf covariance on standardised features, rescaled, weighted by class priors;
// coef = lstsq(Σ, μᵀ)ᵀ; intercept = -½ μ·coef + log prior; binary collapses to one decision function.
import { ledoitWolfFeatures } from './covariance';
import { solveLinear } from './linalg';

export interface LdaState {
  nFeatures: number;
  nClasses: number;
  /** nOut × nFeatures, nOut = 1 for binary (decision = class 1 vs class 0), else nClasses */
  coef: number[][];
  intercept: number[];
}

function shrunkCov(rows: readonly Float64Array[]): Float64Array {
  const T = rows.length;
  const d = rows[0].length;
  const mean = new Float64Array(d);
  for (const r of rows) for (let i = 0; i < d; i++) mean[i] += r[i] / T;
  const scale = new Float64Array(d);
  for (const r of rows) for (let i = 0; i < d; i++) scale[i] += (r[i] - mean[i]) ** 2 / T;
  for (let i = 0; i < d; i++) scale[i] = scale[i] === 0 ? 1 : Math.sqrt(scale[i]);
  const z = rows.map((r) => {
    const o = new Float64Array(d);
    for (let i = 0; i < d; i++) o[i] = (r[i] - mean[i]) / scale[i];
    return o;
  });
  const { covariance } = ledoitWolfFeatures(z);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) covariance[i * d + j] *= scale[i] * scale[j];
  return covariance;
}

/** y holds class indices 0..nClasses-1. */
export function fitShrinkageLda(X: readonly Float64Array[], y: readonly number[], nClasses: number): LdaState {
  const d = X[0].length;
  const priors: number[] = [];
  const means: Float64Array[] = [];
  const cov = new Float64Array(d * d);
  for (let k = 0; k < nClasses; k++) {
    const rows = X.filter((_, i) => y[i] === k);
    if (rows.length === 0) throw new Error(`LDA: class ${k} has no samples`);
    const prior = rows.length / X.length;
    priors.push(prior);
    const m = new Float64Array(d);
    for (const r of rows) for (let i = 0; i < d; i++) m[i] += r[i] / rows.length;
    means.push(m);
    const ck = shrunkCov(rows);
    for (let i = 0; i < d * d; i++) cov[i] += prior * ck[i];
  }
  const B = new Float64Array(d * nClasses);
  for (let k = 0; k < nClasses; k++) for (let i = 0; i < d; i++) B[i * nClasses + k] = means[k][i];
  const sol = solveLinear(cov, d, B, nClasses); // d × K
  const coef: number[][] = [];
  const intercept: number[] = [];
  for (let k = 0; k < nClasses; k++) {
    const c: number[] = [];
    let dot = 0;
    for (let i = 0; i < d; i++) {
      c.push(sol[i * nClasses + k]);
      dot += means[k][i] * sol[i * nClasses + k];
    }
    coef.push(c);
    intercept.push(-0.5 * dot + Math.log(priors[k]));
  }
  if (nClasses === 2) {
    return {
      nFeatures: d,
      nClasses,
      coef: [coef[1].map((v, i) => v - coef[0][i])],
      intercept: [intercept[1] - intercept[0]],
    };
  }
  return { nFeatures: d, nClasses, coef, intercept };
}

export function linearDecision(coef: number[][], intercept: number[], x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(coef.length);
  for (let k = 0; k < coef.length; k++) {
    let s = intercept[k];
    const c = coef[k];
    for (let i = 0; i < c.length; i++) s += c[i] * x[i];
    out[k] = s;
  }
  return out;
}

/** Binary: [1-σ(f), σ(f)]; multi-class: softmax — sklearn's predict_proba for LDA and LR. */
export function decisionToProba(dec: Float64Array, nClasses: number): Float64Array {
  if (nClasses === 2 && dec.length === 1) {
    const p = 1 / (1 + Math.exp(-dec[0]));
    return Float64Array.of(1 - p, p);
  }
  return softmax(dec);
}

export function softmax(z: ArrayLike<number>): Float64Array {
  let m = -Infinity;
  for (let i = 0; i < z.length; i++) m = Math.max(m, z[i]);
  const out = new Float64Array(z.length);
  let s = 0;
  for (let i = 0; i < z.length; i++) {
    out[i] = Math.exp(z[i] - m);
    s += out[i];
  }
  for (let i = 0; i < z.length; i++) out[i] /= s;
  return out;
}

export function ldaProba(state: LdaState, x: ArrayLike<number>): Float64Array {
  return decisionToProba(linearDecision(state.coef, state.intercept, x), state.nClasses);
}
