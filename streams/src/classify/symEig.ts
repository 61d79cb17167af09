// Symmetric eigendecomposition on flat row-major Float64Arrays.
// Port of the JAMA tred2/tql2 routines (as shipped in ml-matrix's EigenvalueDecomposition),
// rewritten over one flat buffer: the hot path of tangent-space inference and Riemannian means
// calls this thousands of times on 64×64 matrices, and avoiding Matrix.get/set calls makes it
// ~3× faster than ml-matrix's class for that size.

export interface SymEig {
  /** Eigenvalues, ascending. */
  values: Float64Array;
  /** Eigenvectors as ROWS: vectors[k*n + i] is component i of the eigenvector of values[k]. */
  vectors: Float64Array;
  n: number;
}

function hypot(a: number, b: number): number {
  let r: number;
  if (Math.abs(a) > Math.abs(b)) {
    r = b / a;
    return Math.abs(a) * Math.sqrt(1 + r * r);
  }
  if (b !== 0) {
    r = a / b;
    return Math.abs(b) * Math.sqrt(1 + r * r);
  }
  return 0;
}

/** Eigen-decompose the symmetric n×n matrix `a` (row-major; only symmetry is assumed, not checked). */
export function symEig(a: Float64Array, n: number): SymEig {
  // v is JAMA's V stored transposed: v[j*n+i] = V(i,j); after tql2, row k of v = eigenvector k.
  const v = new Float64Array(a);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tred2(n, e, d, v, true);
  tql2(n, e, d, v, true);
  return { values: d, vectors: v, n };
}

/**
 * Allocation-free variant for hot paths: `v` holds the symmetric matrix on entry and is destroyed.
 * Eigenvalues (ascending) land in `d`; with `vectors`, row k of `v` is the eigenvector of d[k].
 * `e` is n scratch. Without vectors, the Householder accumulation and all rotation updates are
 * skipped (O(n²) after the tridiagonalisation); the eigenvalues are bit-identical either way, and
 * identical to symEig's.
 */
export function symEigInPlace(v: Float64Array, n: number, d: Float64Array, e: Float64Array, vectors: boolean): void {
  tred2(n, e, d, v, vectors);
  tql2(n, e, d, v, vectors);
}

/**
 * Householder reduction of the symmetric matrix in `v` (destroyed) to tridiagonal form: diagonal in
 * `d`, e[i] couples i-1 and i (e[0] = 0). With `accumulate`, row j of `v` becomes column j of the
 * orthogonal Q with A = Q·T·Qᵀ. Without it, `v` keeps the Householder vectors (row i, entries
 * 0…i−1, for i ≥ 1) and `hOut` (if given) receives their scales h_i, so that Q = H_1·H_2⋯H_{n−1}
 * with H_i = I − u_i u_iᵀ / h_i (identity where h_i = 0) can be applied without forming it.
 */
export function householderTridiagonal(v: Float64Array, n: number, d: Float64Array, e: Float64Array, accumulate: boolean, hOut?: Float64Array): void {
  tred2(n, e, d, v, accumulate, hOut);
}

/** Eigenvalues (ascending, into `d`) of the tridiagonal (d, e) from householderTridiagonal; `e` is destroyed. */
export function tridiagonalEigenvalues(d: Float64Array, e: Float64Array, n: number): void {
  tql2(n, e, d, EMPTY, false);
}
const EMPTY = new Float64Array(0);

function tred2(n: number, e: Float64Array, d: Float64Array, V: Float64Array, vectors: boolean, hOut?: Float64Array): void {
  let f: number, g: number, h: number, hh: number, scale: number;
  for (let j = 0; j < n; j++) d[j] = V[j * n + n - 1];
  for (let i = n - 1; i > 0; i--) {
    scale = 0;
    h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = V[j * n + i - 1];
        V[j * n + i] = 0;
        V[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      f = d[i - 1];
      g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h = h - f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      // e = A·d (A = leading i×i block, lower storage). Rows four at a time; each e[k] and each g
      // receives the same additions in the same order as the one-row loop (bit-identical).
      let j0 = 0;
      for (; j0 + 4 < i; j0 += 4) {
        const ri = i * n;
        for (let r = 0; r < 4; r++) V[ri + j0 + r] = d[j0 + r];
        const f0 = d[j0];
        const f1 = d[j0 + 1];
        const f2 = d[j0 + 2];
        const f3 = d[j0 + 3];
        const r0 = j0 * n;
        const r1 = r0 + n;
        const r2 = r1 + n;
        const r3 = r2 + n;
        // in-group triangle, row by row
        let g0 = e[j0] + V[r0 + j0] * f0;
        for (let k = j0 + 1; k <= j0 + 3; k++) {
          g0 += V[r0 + k] * d[k];
          e[k] += V[r0 + k] * f0;
        }
        let g1 = e[j0 + 1] + V[r1 + j0 + 1] * f1;
        for (let k = j0 + 2; k <= j0 + 3; k++) {
          g1 += V[r1 + k] * d[k];
          e[k] += V[r1 + k] * f1;
        }
        let g2 = e[j0 + 2] + V[r2 + j0 + 2] * f2;
        g2 += V[r2 + j0 + 3] * d[j0 + 3];
        e[j0 + 3] += V[r2 + j0 + 3] * f2;
        let g3 = e[j0 + 3] + V[r3 + j0 + 3] * f3;
        for (let k = j0 + 4; k <= i - 1; k++) {
          const dk = d[k];
          const a0 = V[r0 + k];
          const a1 = V[r1 + k];
          const a2 = V[r2 + k];
          const a3 = V[r3 + k];
          g0 += a0 * dk;
          g1 += a1 * dk;
          g2 += a2 * dk;
          g3 += a3 * dk;
          let ek = e[k];
          ek += a0 * f0;
          ek += a1 * f1;
          ek += a2 * f2;
          ek += a3 * f3;
          e[k] = ek;
        }
        e[j0] = g0;
        e[j0 + 1] = g1;
        e[j0 + 2] = g2;
        e[j0 + 3] = g3;
      }
      for (let j = j0; j < i; j++) {
        f = d[j];
        V[i * n + j] = f;
        const rj = j * n;
        g = e[j] + V[rj + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += V[rj + k] * d[k];
          e[k] += V[rj + k] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      // A −= d·eᵀ + e·dᵀ (lower storage), rows four at a time (element-wise identical).
      let j1 = 0;
      for (; j1 + 4 < i; j1 += 4) {
        const f0 = d[j1];
        const f1 = d[j1 + 1];
        const f2 = d[j1 + 2];
        const f3 = d[j1 + 3];
        const g0 = e[j1];
        const g1 = e[j1 + 1];
        const g2 = e[j1 + 2];
        const g3 = e[j1 + 3];
        const r0 = j1 * n;
        const r1 = r0 + n;
        const r2 = r1 + n;
        const r3 = r2 + n;
        for (let k = j1; k <= j1 + 2; k++) V[r0 + k] -= f0 * e[k] + g0 * d[k];
        for (let k = j1 + 1; k <= j1 + 2; k++) V[r1 + k] -= f1 * e[k] + g1 * d[k];
        V[r2 + j1 + 2] -= f2 * e[j1 + 2] + g2 * d[j1 + 2];
        for (let k = j1 + 3; k <= i - 1; k++) {
          const ek = e[k];
          const dk = d[k];
          V[r0 + k] -= f0 * ek + g0 * dk;
          V[r1 + k] -= f1 * ek + g1 * dk;
          V[r2 + k] -= f2 * ek + g2 * dk;
          V[r3 + k] -= f3 * ek + g3 * dk;
        }
        d[j1] = V[r0 + i - 1];
        d[j1 + 1] = V[r1 + i - 1];
        d[j1 + 2] = V[r2 + i - 1];
        d[j1 + 3] = V[r3 + i - 1];
        V[r0 + i] = 0;
        V[r1 + i] = 0;
        V[r2 + i] = 0;
        V[r3 + i] = 0;
      }
      for (let j = j1; j < i; j++) {
        f = d[j];
        g = e[j];
        const rj = j * n;
        for (let k = j; k <= i - 1; k++) V[rj + k] -= f * e[k] + g * d[k];
        d[j] = V[rj + i - 1];
        V[rj + i] = 0;
      }
    }
    d[i] = h;
  }
  if (!vectors) {
    if (hOut) for (let i = 0; i < n; i++) hOut[i] = i > 0 ? d[i] : 0;
    // The tridiagonal's diagonal is left on V's diagonal (what the accumulation below reads).
    for (let j = 0; j < n; j++) d[j] = V[j * n + j];
    e[0] = 0;
    return;
  }
  for (let i = 0; i < n - 1; i++) {
    V[i * n + n - 1] = V[i * n + i];
    V[i * n + i] = 1;
    h = d[i + 1];
    const ri1 = (i + 1) * n;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[ri1 + k] / h;
      // Rows four at a time (same arithmetic per row as one at a time: bit-identical results).
      let j = 0;
      for (; j + 3 <= i; j += 4) {
        const r0 = j * n;
        const r1 = r0 + n;
        const r2 = r1 + n;
        const r3 = r2 + n;
        let g0 = 0;
        let g1 = 0;
        let g2 = 0;
        let g3 = 0;
        for (let k = 0; k <= i; k++) {
          const u = V[ri1 + k];
          g0 += u * V[r0 + k];
          g1 += u * V[r1 + k];
          g2 += u * V[r2 + k];
          g3 += u * V[r3 + k];
        }
        for (let k = 0; k <= i; k++) {
          const dk = d[k];
          V[r0 + k] -= g0 * dk;
          V[r1 + k] -= g1 * dk;
          V[r2 + k] -= g2 * dk;
          V[r3 + k] -= g3 * dk;
        }
      }
      for (; j <= i; j++) {
        g = 0;
        const rj = j * n;
        for (let k = 0; k <= i; k++) g += V[ri1 + k] * V[rj + k];
        for (let k = 0; k <= i; k++) V[rj + k] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) V[ri1 + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[j * n + n - 1];
    V[j * n + n - 1] = 0;
  }
  V[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

// Rotation coefficients of one QL sweep (module scratch: everything here is synchronous).
let rotC = new Float64Array(0);
let rotS = new Float64Array(0);

/**
 * Applies one QL sweep's plane rotations i = m-1 … l (rows i, i+1 of V) to every column k.
 * Same arithmetic, in the same order per element, as rotating whole rows inside the sweep
 * (JAMA tql2), so results are bit-identical; but row i+1's running value stays in a register
 * (one load and one store per rotation instead of two each), and four columns are carried at
 * once so the dependency chains overlap.
 */
function applyRotations(V: Float64Array, n: number, l: number, m: number, rc: Float64Array, rs: Float64Array): void {
  const n4 = n - (n % 4);
  const rm = m * n;
  for (let k = 0; k < n4; k += 4) {
    let h0 = V[rm + k];
    let h1 = V[rm + k + 1];
    let h2 = V[rm + k + 2];
    let h3 = V[rm + k + 3];
    for (let i = m - 1; i >= l; i--) {
      const c = rc[i];
      const s = rs[i];
      const ri = i * n + k;
      const ri1 = ri + n;
      const x0 = V[ri];
      const x1 = V[ri + 1];
      const x2 = V[ri + 2];
      const x3 = V[ri + 3];
      V[ri1] = s * x0 + c * h0;
      V[ri1 + 1] = s * x1 + c * h1;
      V[ri1 + 2] = s * x2 + c * h2;
      V[ri1 + 3] = s * x3 + c * h3;
      h0 = c * x0 - s * h0;
      h1 = c * x1 - s * h1;
      h2 = c * x2 - s * h2;
      h3 = c * x3 - s * h3;
    }
    const rl = l * n + k;
    V[rl] = h0;
    V[rl + 1] = h1;
    V[rl + 2] = h2;
    V[rl + 3] = h3;
  }
  for (let k = n4; k < n; k++) {
    let h = V[rm + k];
    for (let i = m - 1; i >= l; i--) {
      const x = V[i * n + k];
      V[(i + 1) * n + k] = rs[i] * x + rc[i] * h;
      h = rc[i] * x - rs[i] * h;
    }
    V[l * n + k] = h;
  }
}

function tql2(n: number, e: Float64Array, d: Float64Array, V: Float64Array, vectors: boolean): void {
  let g: number, h: number, p: number, r: number, dl1: number, c: number, c2: number, c3: number;
  let el1: number, s: number, s2: number;
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  if (rotC.length < n) {
    rotC = new Float64Array(n);
    rotS = new Float64Array(n);
  }
  const rc = rotC;
  const rs = rotS;
  let f = 0;
  let tst1 = 0;
  const eps = Number.EPSILON;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        iter++;
        if (iter > 200) throw new Error('symEig: tql2 did not converge');
        g = d[l];
        p = (d[l + 1] - g) / (2 * e[l]);
        r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        dl1 = d[l + 1];
        h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        c = 1;
        c2 = c;
        c3 = c;
        el1 = e[l + 1];
        s = 0;
        s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          rc[i] = c;
          rs[i] = s;
        }
        if (vectors) applyRotations(V, n, l, m, rc, rs);
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] = d[l] + f;
    e[l] = 0;
  }
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    p = d[i];
    for (let j = i + 1; j < n; j++) {
      if (d[j] < p) {
        k = j;
        p = d[j];
      }
    }
    if (k !== i) {
      d[k] = d[i];
      d[i] = p;
      if (!vectors) continue;
      const ri = i * n;
      const rk = k * n;
      for (let j = 0; j < n; j++) {
        p = V[ri + j];
        V[ri + j] = V[rk + j];
        V[rk + j] = p;
      }
    }
  }
}
