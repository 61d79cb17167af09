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

function tred2(n: number, e: Float64Array, d: Float64Array, V: Float64Array, vectors: boolean): void {
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
      for (let j = 0; j < i; j++) {
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
      for (let j = 0; j < i; j++) {
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
      for (let j = 0; j <= i; j++) {
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

function tql2(n: number, e: Float64Array, d: Float64Array, V: Float64Array, vectors: boolean): void {
  let g: number, h: number, p: number, r: number, dl1: number, c: number, c2: number, c3: number;
  let el1: number, s: number, s2: number;
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
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
          if (!vectors) continue;
          const ri = i * n;
          const ri1 = ri + n;
          for (let k = 0; k < n; k++) {
            h = V[ri1 + k];
            const vik = V[ri + k];
            V[ri1 + k] = s * vik + c * h;
            V[ri + k] = c * vik - s * h;
          }
        }
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
