import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { congruence, expm, generalizedSymEig, invsqrtm, logm, matmul, sqrtm, symEig } from './linalg';
import { distanceRiemannWhitened, meanRiemann } from './riemann';
import { mulberry32 } from '../eval/rng';

function randomSpd(n: number, seed: number): Float64Array {
  const rng = mulberry32(seed);
  const a = new Float64Array(n * n).map(() => rng() - 0.5);
  const s = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let v = 0;
      for (let k = 0; k < n; k++) v += a[i * n + k] * a[j * n + k];
      s[i * n + j] = v + (i === j ? 0.1 : 0);
    }
  return s;
}
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe('symmetric linear algebra', () => {
  const n = 12;
  const A = randomSpd(n, 1);
  it('symEig agrees with ml-matrix eigenvalues and reconstructs A', () => {
    const e = symEig(A, n);
    const ref = new EigenvalueDecomposition(new Matrix(Array.from({ length: n }, (_, i) => Array.from(A.subarray(i * n, i * n + n)))), {
      assumeSymmetric: true,
    }).realEigenvalues;
    expect(maxDiff(e.values, ref)).toBeLessThan(1e-10);
    for (let k = 1; k < n; k++) expect(e.values[k]).toBeGreaterThanOrEqual(e.values[k - 1]);
  });
  it('sqrtm² = A, invsqrtm·A·invsqrtm = I, expm(logm A) = A', () => {
    const s = sqrtm(A, n);
    expect(maxDiff(matmul(s, s, n), A)).toBeLessThan(1e-10);
    const w = invsqrtm(A, n);
    const I = congruence(w, A, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(I[i * n + j]).toBeCloseTo(i === j ? 1 : 0, 9);
    expect(maxDiff(expm(logm(A, n), n), A)).toBeLessThan(1e-9);
  });
  it('generalised eigenvectors satisfy A v = λ B v and vᵀ B v = 1', () => {
    const B = randomSpd(n, 2);
    const g = generalizedSymEig(A, B, n);
    for (let k = 0; k < n; k++) {
      const v = g.vectors.subarray(k * n, k * n + n);
      let vbv = 0;
      for (let i = 0; i < n; i++) {
        let av = 0;
        let bv = 0;
        for (let j = 0; j < n; j++) {
          av += A[i * n + j] * v[j];
          bv += B[i * n + j] * v[j];
        }
        expect(av).toBeCloseTo(g.values[k] * bv, 8);
        vbv += v[i] * bv;
      }
      expect(vbv).toBeCloseTo(1, 10);
    }
  });
  it('Riemannian mean of two matrices is the geodesic midpoint (equal distances)', () => {
    const B = randomSpd(n, 3);
    const M = meanRiemann([A, B], n, { tol: 1e-12, maxIter: 200 });
    const w = invsqrtm(M, n);
    expect(distanceRiemannWhitened(A, w, n)).toBeCloseTo(distanceRiemannWhitened(B, w, n), 6);
  });
});
