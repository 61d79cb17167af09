// Symmetric-matrix helpers on flat row-major n×n Float64Arrays (SPD covariance matrices).
// Eigen work goes through symEig (fast flat tred2/tql2); Cholesky and least squares through ml-matrix.
import { CholeskyDecomposition, Matrix, solve } from 'ml-matrix';
import { symEig, SymEig } from './symEig';

export { symEig };
export type { SymEig };

/** V · diag(f(λ)) · Vᵀ for a decomposition whose eigenvectors are rows. */
export function fromEig(eig: SymEig, f: (x: number) => number): Float64Array {
  const { n, values, vectors } = eig;
  const fv = new Float64Array(n);
  for (let k = 0; k < n; k++) fv[k] = f(values[k]);
  const out = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const w = fv[k];
    if (w === 0) continue;
    const rk = k * n;
    for (let i = 0; i < n; i++) {
      const a = w * vectors[rk + i];
      if (a === 0) continue;
      const ri = i * n;
      // upper triangle only, mirrored below: halves the work
      for (let j = i; j < n; j++) out[ri + j] += a * vectors[rk + j];
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) out[i * n + j] = out[j * n + i];
  return out;
}

export function symFn(a: Float64Array, n: number, f: (x: number) => number): Float64Array {
  return fromEig(symEig(a, n), f);
}
export const sqrtm = (a: Float64Array, n: number): Float64Array => symFn(a, n, Math.sqrt);
export const invsqrtm = (a: Float64Array, n: number): Float64Array => symFn(a, n, (x) => 1 / Math.sqrt(x));
export const logm = (a: Float64Array, n: number): Float64Array => symFn(a, n, Math.log);
export const expm = (a: Float64Array, n: number): Float64Array => symFn(a, n, Math.exp);
export const powm = (a: Float64Array, n: number, p: number): Float64Array => symFn(a, n, (x) => Math.pow(x, p));

/** C = A·B for n×n row-major. */
export function matmul(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let k = 0; k < n; k++) {
      const aik = a[ri + k];
      if (aik === 0) continue;
      const rk = k * n;
      for (let j = 0; j < n; j++) c[ri + j] += aik * b[rk + j];
    }
  }
  return c;
}

/** W·C·W for symmetric W and C (congruence); result symmetrised to kill round-off asymmetry. */
export function congruence(w: Float64Array, c: Float64Array, n: number): Float64Array {
  const t = matmul(w, c, n);
  const out = matmul(t, w, n);
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const m = 0.5 * (out[i * n + j] + out[j * n + i]);
      out[i * n + j] = m;
      out[j * n + i] = m;
    }
  return out;
}

export function trace(a: Float64Array, n: number): number {
  let t = 0;
  for (let i = 0; i < n; i++) t += a[i * n + i];
  return t;
}

export function toMatrix(a: Float64Array, rows: number, cols: number): Matrix {
  const m = new Matrix(rows, cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) m.set(i, j, a[i * cols + j]);
  return m;
}

export function fromMatrix(m: Matrix): Float64Array {
  const out = new Float64Array(m.rows * m.columns);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.columns; j++) out[i * m.columns + j] = m.get(i, j);
  return out;
}

/**
 * Generalised symmetric-definite eigenproblem A v = λ B v via Cholesky (B = L Lᵀ):
 * eig(L⁻¹ A L⁻ᵀ) = (λ, U), v = L⁻ᵀ U. Eigenvectors are B-orthonormal (vᵀ B v = 1),
 * the same normalisation as scipy.linalg.eigh(A, B). Values ascending; vectors as rows.
 */
export function generalizedSymEig(a: Float64Array, b: Float64Array, n: number): SymEig {
  const chol = new CholeskyDecomposition(toMatrix(b, n, n));
  if (!chol.isPositiveDefinite()) throw new Error('generalizedSymEig: B is not positive definite');
  const L = fromMatrix(chol.lowerTriangularMatrix);
  // Linv by forward substitution, column by column.
  const Linv = new Float64Array(n * n);
  for (let col = 0; col < n; col++) {
    for (let i = 0; i < n; i++) {
      let s = i === col ? 1 : 0;
      for (let k = 0; k < i; k++) s -= L[i * n + k] * Linv[k * n + col];
      Linv[i * n + col] = s / L[i * n + i];
    }
  }
  // M = Linv A Linvᵀ
  const t = matmul(Linv, a, n);
  const M = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += t[i * n + k] * Linv[j * n + k];
      M[i * n + j] = s;
    }
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const m = 0.5 * (M[i * n + j] + M[j * n + i]);
      M[i * n + j] = m;
      M[j * n + i] = m;
    }
  const eig = symEig(M, n);
  // v_k = Linvᵀ u_k  → v_k[i] = Σ_j Linv[j][i] u_k[j]
  const vecs = new Float64Array(n * n);
  for (let k = 0; k < n; k++)
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = i; j < n; j++) s += Linv[j * n + i] * eig.vectors[k * n + j];
      vecs[k * n + i] = s;
    }
  return { values: eig.values, vectors: vecs, n };
}

/** Solve the linear system A X = B (A n×n, B n×m) by ml-matrix's LU/QR (least squares if singular). */
export function solveLinear(a: Float64Array, n: number, b: Float64Array, m: number): Float64Array {
  return fromMatrix(solve(toMatrix(a, n, n), toMatrix(b, n, m), true));
}
