// L2 logistic regression like sklearn LogisticRegression(C=1, lbfgs): binary = one weight vector,
// multi-class = multinomial softmax; intercept unpenalised. Solved to a tight tolerance with L-BFGS.
import { lbfgs } from './lbfgs';
import { decisionToProba, linearDecision } from './lda';

export interface LogRegState {
  nClasses: number;
  coef: number[][];
  intercept: number[];
  iterations: number;
  converged: boolean;
}

export function fitLogisticRegression(
  X: readonly Float64Array[],
  y: readonly number[],
  nClasses: number,
  C = 1,
  sampleWeight?: readonly number[],
): LogRegState {
  const N = X.length;
  const d = X[0].length;
  const sw = sampleWeight ?? new Array<number>(N).fill(1);
  const K = nClasses === 2 ? 1 : nClasses;
  const P = K * (d + 1); // per output: d weights then the intercept
  const z = new Float64Array(K);
  const fg = (theta: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    let f = 0;
    for (let k = 0; k < K; k++) {
      const o = k * (d + 1);
      for (let j = 0; j < d; j++) {
        f += 0.5 * theta[o + j] * theta[o + j];
        grad[o + j] = theta[o + j];
      }
    }
    for (let n = 0; n < N; n++) {
      const x = X[n];
      for (let k = 0; k < K; k++) {
        const o = k * (d + 1);
        let s = theta[o + d];
        for (let j = 0; j < d; j++) s += theta[o + j] * x[j];
        z[k] = s;
      }
      const w = C * sw[n];
      if (K === 1) {
        const t = y[n] === 1 ? 1 : -1;
        const m = t * z[0];
        // log(1+exp(-m)) computed stably
        f += w * (m > 0 ? Math.log1p(Math.exp(-m)) : -m + Math.log1p(Math.exp(m)));
        const coefG = w * -t / (1 + Math.exp(m));
        for (let j = 0; j < d; j++) grad[j] += coefG * x[j];
        grad[d] += coefG;
      } else {
        let mx = -Infinity;
        for (let k = 0; k < K; k++) mx = Math.max(mx, z[k]);
        let se = 0;
        for (let k = 0; k < K; k++) se += Math.exp(z[k] - mx);
        const lse = mx + Math.log(se);
        f += w * (lse - z[y[n]]);
        for (let k = 0; k < K; k++) {
          const r = w * (Math.exp(z[k] - lse) - (k === y[n] ? 1 : 0));
          const o = k * (d + 1);
          for (let j = 0; j < d; j++) grad[o + j] += r * x[j];
          grad[o + d] += r;
        }
      }
    }
    return f;
  };
  const res = lbfgs(fg, new Float64Array(P), { maxIter: 2000, gtol: 1e-9 });
  const coef: number[][] = [];
  const intercept: number[] = [];
  for (let k = 0; k < K; k++) {
    const o = k * (d + 1);
    coef.push(Array.from(res.x.subarray(o, o + d)));
    intercept.push(res.x[o + d]);
  }
  return { nClasses, coef, intercept, iterations: res.iterations, converged: res.converged };
}

export function logRegProba(s: LogRegState, x: ArrayLike<number>): Float64Array {
  return decisionToProba(linearDecision(s.coef, s.intercept, x), s.nClasses);
}
