// Allocation-free dense kernels for the Riemannian inference hot path (64×64 SPD matrices from
// 64×320 windows). Plain scalar JS: the speed comes from register blocking (4×4 output tiles, 16
// independent accumulators, 8 loads per 16 multiply-adds) and from exploiting symmetry.
// ledoitWolfInto, tangentVectorInto and distanceSqWhitened dispatch to the WebAssembly SIMD versions
// in wasmKernels.ts when they are available (same algorithms, equal to rounding); the *Js
// functions here are the fallback and the reference the wasm kernels are tested against.
import { householderTridiagonal, symEigInPlace, tridiagonalEigenvalues } from './symEig';
import { distanceSqWhitenedWasm, ledoitWolfWasm, lwTangentVectorWasm, tangentVectorWasm, wasmKernelsEnabled } from './wasmKernels';

/**
 * out[i*n + j] = Σ_k a[i*K + k] · b[j*K + k]  (A·Bᵀ for row-major n×K A and B).
 * With `upper`, only j ≥ i is computed and mirrored below the diagonal (A·Bᵀ must then be
 * symmetric, e.g. a Gram matrix or a congruence). Every entry of `out` is overwritten.
 */
export function abt(a: Float64Array, b: Float64Array, n: number, K: number, out: Float64Array, upper: boolean): void {
  const n4 = n - (n % 4);
  for (let i = 0; i < n4; i += 4) {
    const a0 = i * K;
    const a1 = a0 + K;
    const a2 = a1 + K;
    const a3 = a2 + K;
    for (let j = upper ? i : 0; j < n4; j += 4) {
      const b0 = j * K;
      const b1 = b0 + K;
      const b2 = b1 + K;
      const b3 = b2 + K;
      let s00 = 0,
        s01 = 0,
        s02 = 0,
        s03 = 0;
      let s10 = 0,
        s11 = 0,
        s12 = 0,
        s13 = 0;
      let s20 = 0,
        s21 = 0,
        s22 = 0,
        s23 = 0;
      let s30 = 0,
        s31 = 0,
        s32 = 0,
        s33 = 0;
      for (let k = 0; k < K; k++) {
        const x0 = a[a0 + k];
        const x1 = a[a1 + k];
        const x2 = a[a2 + k];
        const x3 = a[a3 + k];
        const y0 = b[b0 + k];
        const y1 = b[b1 + k];
        const y2 = b[b2 + k];
        const y3 = b[b3 + k];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s02 += x0 * y2;
        s03 += x0 * y3;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s12 += x1 * y2;
        s13 += x1 * y3;
        s20 += x2 * y0;
        s21 += x2 * y1;
        s22 += x2 * y2;
        s23 += x2 * y3;
        s30 += x3 * y0;
        s31 += x3 * y1;
        s32 += x3 * y2;
        s33 += x3 * y3;
      }
      const o0 = i * n + j;
      const o1 = o0 + n;
      const o2 = o1 + n;
      const o3 = o2 + n;
      out[o0] = s00;
      out[o0 + 1] = s01;
      out[o0 + 2] = s02;
      out[o0 + 3] = s03;
      out[o1] = s10;
      out[o1 + 1] = s11;
      out[o1 + 2] = s12;
      out[o1 + 3] = s13;
      out[o2] = s20;
      out[o2 + 1] = s21;
      out[o2 + 2] = s22;
      out[o2 + 3] = s23;
      out[o3] = s30;
      out[o3 + 1] = s31;
      out[o3 + 2] = s32;
      out[o3 + 3] = s33;
    }
  }
  // Remainder rows/columns (n not a multiple of 4): plain dot products.
  for (let i = 0; i < n; i++)
    for (let j = upper ? i : 0; j < n; j++) {
      if (i < n4 && j < n4) continue;
      let s = 0;
      const ai = i * K;
      const bj = j * K;
      for (let k = 0; k < K; k++) s += a[ai + k] * b[bj + k];
      out[i * n + j] = s;
    }
  if (upper) for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) out[i * n + j] = out[j * n + i];
}

/** Scratch buffers for n-channel inference; reuse one per classifier (inference is synchronous). */
export class RiemannScratch {
  centred = new Float64Array(0);
  sumSq = new Float64Array(0);
  readonly cov: Float64Array;
  readonly tmp: Float64Array;
  readonly mat: Float64Array;
  readonly mat2: Float64Array;
  readonly mat3: Float64Array;
  readonly d: Float64Array;
  readonly e: Float64Array;
  // tridiagonal inverse iteration
  readonly td: Float64Array;
  readonly te: Float64Array;
  readonly lu: Float64Array;
  readonly piv: Uint8Array;
  readonly x: Float64Array;
  readonly h: Float64Array;
  constructor(readonly n: number) {
    this.h = new Float64Array(n);
    this.td = new Float64Array(n);
    this.te = new Float64Array(n);
    this.lu = new Float64Array(4 * n);
    this.piv = new Uint8Array(n);
    this.x = new Float64Array(n);
    this.cov = new Float64Array(n * n);
    this.tmp = new Float64Array(n * n);
    this.mat = new Float64Array(n * n);
    this.mat2 = new Float64Array(n * n);
    this.mat3 = new Float64Array(n * n);
    this.d = new Float64Array(n);
    this.e = new Float64Array(n);
  }
  static for(prev: RiemannScratch | undefined, n: number): RiemannScratch {
    return prev?.n === n ? prev : new RiemannScratch(n);
  }
}

/**
 * Ledoit-Wolf covariance of a channel-major n×T window into `ws.cov`; the same estimator and
 * formulas as covariance.ts's ledoitWolf (sklearn ledoit_wolf, assume_centered=False), computed
 * with the blocked Gram kernel and the shrinkage sums fused into the centring pass.
 */
export function ledoitWolfInto(data: Float64Array, n: number, T: number, ws: RiemannScratch): Float64Array {
  if (ws.n !== n) throw new Error(`ledoitWolfInto: scratch is for ${ws.n} channels, window has ${n}`);
  if (wasmKernelsEnabled()) return ledoitWolfWasm(data, n, T, ws.cov);
  return ledoitWolfIntoJs(data, n, T, ws);
}

/** The JS implementation of ledoitWolfInto (fallback without wasm). */
export function ledoitWolfIntoJs(data: Float64Array, n: number, T: number, ws: RiemannScratch): Float64Array {
  if (ws.n !== n) throw new Error(`ledoitWolfInto: scratch is for ${ws.n} channels, window has ${n}`);
  if (ws.centred.length !== n * T) {
    ws.centred = new Float64Array(n * T);
    ws.sumSq = new Float64Array(T);
  }
  const x = ws.centred;
  const q = ws.sumSq;
  q.fill(0);
  for (let i = 0; i < n; i++) {
    const o = i * T;
    let m = 0;
    for (let t = 0; t < T; t++) m += data[o + t];
    m /= T;
    for (let t = 0; t < T; t++) {
      const v = data[o + t] - m;
      x[o + t] = v;
      q[t] += v * v;
    }
  }
  const cov = ws.cov;
  abt(x, x, n, T, cov, true);
  const nn = n * n;
  for (let i = 0; i < nn; i++) cov[i] /= T;
  if (n === 1) return cov;
  let traceSum = 0;
  for (let i = 0; i < n; i++) traceSum += cov[i * n + i];
  const mu = traceSum / n;
  let delta_ = 0;
  for (let i = 0; i < nn; i++) delta_ += cov[i] * cov[i];
  let beta_ = 0;
  for (let t = 0; t < T; t++) beta_ += q[t] * q[t];
  let beta = (1 / (n * T)) * (beta_ / T - delta_);
  const delta = (delta_ - 2 * mu * traceSum + n * mu * mu) / n;
  beta = Math.min(beta, delta);
  const s = beta === 0 ? 0 : beta / delta;
  const f = 1 - s;
  for (let i = 0; i < nn; i++) cov[i] *= f;
  for (let i = 0; i < n; i++) cov[i * n + i] += s * mu;
  return cov;
}

/** out = P·C·P for symmetric P and C (n×n), exactly symmetric; `tmp` is n×n scratch. */
export function congruenceInto(p: Float64Array, c: Float64Array, n: number, out: Float64Array, tmp: Float64Array): Float64Array {
  abt(p, c, n, n, tmp, false); // (P·C)_ij = Σ_k P_ik C_jk   (C symmetric)
  abt(tmp, p, n, n, out, true); // (P·C·P)_ij = Σ_k (PC)_ik P_jk (P symmetric)
  return out;
}

/**
 * Tangent vector of `c` at the reference whose inverse square root is `p`, into `out`:
 * upper triangle (row-major, diagonal included) of logm(P·C·P), off-diagonal ×√2 — the same
 * quantity as riemann.ts's tangentVector, without allocations. `c` may be `ws.cov`.
 */
export function tangentVectorInto(c: Float64Array, p: Float64Array, n: number, ws: RiemannScratch, out: Float64Array): Float64Array {
  if (wasmKernelsEnabled() && tangentVectorWasm(c, p, n, out)) return out;
  return tangentVectorIntoJs(c, p, n, ws, out);
}

/**
 * Tangent vector (as tangentVectorInto) of the Ledoit-Wolf covariance (as ledoitWolfInto) of the
 * channel-major n×T window `data`, into `out`. With the wasm kernels the covariance never leaves
 * wasm memory, so `ws.cov` is only written on the JS path (and on the wasm eigensolver's fallback).
 */
export function lwTangentVectorInto(
  data: Float64Array,
  n: number,
  T: number,
  p: Float64Array,
  ws: RiemannScratch,
  out: Float64Array,
): Float64Array {
  if (ws.n !== n) throw new Error(`lwTangentVectorInto: scratch is for ${ws.n} channels, window has ${n}`);
  if (wasmKernelsEnabled()) {
    if (lwTangentVectorWasm(data, n, T, p, out, ws.cov)) return out;
    return tangentVectorIntoJs(ws.cov, p, n, ws, out);
  }
  return tangentVectorIntoJs(ledoitWolfIntoJs(data, n, T, ws), p, n, ws, out);
}

/** The JS implementation of tangentVectorInto (fallback without wasm). */
export function tangentVectorIntoJs(c: Float64Array, p: Float64Array, n: number, ws: RiemannScratch, out: Float64Array): Float64Array {
  const S = congruenceInto(p, c, n, ws.mat, ws.tmp);
  const U = ws.mat3;
  symEigInvIt(S, n, ws, U); // row k of U is the eigenvector of d[k]
  const d = ws.d;
  // logm = Σ_k log(λ_k) u_k u_kᵀ = A·Bᵀ with A[i][k] = log(λ_k) u_k[i], B[i][k] = u_k[i].
  const A = ws.tmp;
  const B = ws.mat2;
  for (let k = 0; k < n; k++) d[k] = Math.log(d[k]);
  for (let k = 0; k < n; k++) {
    const rk = k * n;
    const f = d[k];
    for (let i = 0; i < n; i++) {
      const u = U[rk + i];
      B[i * n + k] = u;
      A[i * n + k] = f * u;
    }
  }
  const L = ws.mat;
  abt(A, B, n, n, L, true);
  let q = 0;
  for (let i = 0; i < n; i++) {
    out[q++] = L[i * n + i];
    for (let j = i + 1; j < n; j++) out[q++] = Math.SQRT2 * L[i * n + j];
  }
  return out;
}

/** Squared affine-invariant distance δ²(C, M) = Σ log² λ(M⁻½ C M⁻½), given p = M⁻½ (eigenvalues only). */
export function distanceSqWhitened(c: Float64Array, p: Float64Array, n: number, ws: RiemannScratch): number {
  if (wasmKernelsEnabled()) {
    const d = distanceSqWhitenedWasm(c, p, n);
    if (!Number.isNaN(d)) return d;
  }
  return distanceSqWhitenedJs(c, p, n, ws);
}

/** The JS implementation of distanceSqWhitened (fallback without wasm). */
export function distanceSqWhitenedJs(c: Float64Array, p: Float64Array, n: number, ws: RiemannScratch): number {
  const S = congruenceInto(p, c, n, ws.mat, ws.tmp);
  symEigInPlace(S, n, ws.d, ws.e, false);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const l = Math.log(ws.d[i]);
    s += l * l;
  }
  return s;
}

/**
 * Eigendecomposition of the symmetric matrix in `v` (destroyed) for the inference hot path:
 * Householder tridiagonalisation T = QᵀAQ (as symEig), eigenvalues of T by implicit QL without
 * vectors (bit-identical to symEig's), then each eigenvector of T by inverse iteration (pivoted
 * tridiagonal LU with the computed eigenvalue as shift, modified Gram-Schmidt inside clusters of
 * close eigenvalues, as LAPACK dstein) and the back-transformation U = Q·Z. This replaces
 * the plane rotations of full-length vectors in QL (≈ 4 400 rotations × 64 entries for a whitened
 * EEG covariance) by O(n²) tridiagonal work, and the accumulation of Q plus the product Q·Z by
 * applying the reflectors to Z once.
 * Eigenvalues ascending into ws.d; eigenvectors as rows of `out` (n×n). Uses ws.tmp, ws.mat2 and the
 * tridiagonal scratch, so `v` and `out` must be other buffers.
 */
export function symEigInvIt(v: Float64Array, n: number, ws: RiemannScratch, out: Float64Array): void {
  const { td, te, d, e, x, piv } = ws;
  const orig = ws.tmp;
  orig.set(v); // kept for the (defensive) fallback below
  householderTridiagonal(v, n, td, te, false, ws.h); // v keeps the Householder vectors
  d.set(td);
  e.set(te);
  tridiagonalEigenvalues(d, e, n);
  const Z = ws.mat2;
  const dd = ws.lu.subarray(0, n);
  const dl = ws.lu.subarray(n, 2 * n);
  const du = ws.lu.subarray(2 * n, 3 * n);
  const du2 = ws.lu.subarray(3 * n, 4 * n);
  let onenrm = 0;
  for (let i = 0; i < n; i++) {
    const r = Math.abs(td[i]) + (i > 0 ? Math.abs(te[i]) : 0) + (i + 1 < n ? Math.abs(te[i + 1]) : 0);
    if (r > onenrm) onenrm = r;
  }
  const eps = Number.EPSILON;
  const ortol = 1e-3 * onenrm;
  const pivMin = eps * onenrm || eps; // zero matrix: any positive pivot will do
  let clusterStart = 0;
  let xjm = 0;
  let seed = 0x2545f491;
  for (let k = 0; k < n; k++) {
    let xj = d[k];
    if (k > 0) {
      if (xj - d[k - 1] > ortol) clusterStart = k;
      else {
        const pertol = 10 * Math.abs(eps * xj);
        if (xj - xjm < pertol) xj = xjm + pertol; // separate (near-)coincident shifts, as dstein
      }
    }
    xjm = xj;
    // LU with partial pivoting of T − xj·I (LAPACK dgttrf layout: dd, dl, du, du2).
    for (let i = 0; i < n; i++) dd[i] = td[i] - xj;
    for (let i = 0; i + 1 < n; i++) {
      dl[i] = te[i + 1];
      du[i] = te[i + 1];
      du2[i] = 0;
    }
    for (let i = 0; i + 1 < n; i++) {
      if (Math.abs(dd[i]) >= Math.abs(dl[i])) {
        piv[i] = 0;
        if (dd[i] === 0) dd[i] = pivMin;
        const f = dl[i] / dd[i];
        dl[i] = f;
        dd[i + 1] -= f * du[i];
      } else {
        piv[i] = 1;
        const f = dd[i] / dl[i];
        dd[i] = dl[i];
        dl[i] = f;
        const t = du[i];
        du[i] = dd[i + 1];
        dd[i + 1] = t - f * dd[i + 1];
        if (i + 2 < n) {
          du2[i] = du[i + 1];
          du[i + 1] = -f * du[i + 1];
        }
      }
    }
    for (let i = 0; i < n; i++) dd[i] = 1 / (Math.abs(dd[i]) < pivMin ? (dd[i] < 0 ? -pivMin : pivMin) : dd[i]); // reciprocal pivots
    // Deterministic pseudo-random start in [-1, 1).
    for (let i = 0; i < n; i++) {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      x[i] = seed / 2147483648 - 1;
    }
    const zk = k * n;
    for (let it = 0; it < 2; it++) {
      // solve (T − xj·I) y = x in place
      for (let i = 0; i + 1 < n; i++) {
        if (piv[i] === 0) x[i + 1] -= dl[i] * x[i];
        else {
          const t = x[i];
          x[i] = x[i + 1];
          x[i + 1] = t - dl[i] * x[i];
        }
      }
      x[n - 1] *= dd[n - 1];
      if (n > 1) x[n - 2] = (x[n - 2] - du[n - 2] * x[n - 1]) * dd[n - 2];
      for (let i = n - 3; i >= 0; i--) x[i] = (x[i] - du[i] * x[i + 1] - du2[i] * x[i + 2]) * dd[i];
      // orthogonalise against the cluster's earlier vectors (modified Gram-Schmidt)
      for (let j = clusterStart; j < k; j++) {
        const zj = j * n;
        let dot = 0;
        for (let i = 0; i < n; i++) dot += x[i] * Z[zj + i];
        for (let i = 0; i < n; i++) x[i] -= dot * Z[zj + i];
      }
      let mx = 0;
      for (let i = 0; i < n; i++) {
        const ax = Math.abs(x[i]);
        if (ax > mx) mx = ax;
      }
      let nrm = 0;
      for (let i = 0; i < n; i++) {
        x[i] /= mx;
        nrm += x[i] * x[i];
      }
      nrm = 1 / Math.sqrt(nrm);
      if (!Number.isFinite(nrm)) {
        // Overflow/underflow (not seen on covariances): fall back to QL with rotations.
        out.set(orig);
        symEigInPlace(out, n, d, e, true);
        return;
      }
      for (let i = 0; i < n; i++) x[i] *= nrm;
    }
    for (let i = 0; i < n; i++) Z[zk + i] = x[i];
  }
  // Back-transform U = Z·H_1⋯H_{n−1} (rows of U = eigenvectors), applying the Householder
  // reflectors to the rows of Z directly (the same products as tred2's accumulation of Q, without
  // forming Q or multiplying by it): row z ← z − (z·u) u/h over coordinates 0…i−1.
  const hs = ws.h;
  const uh = x; // scratch: u/h
  for (let i = 1; i < n; i++) {
    const h = hs[i];
    if (h === 0) continue;
    const ri = i * n;
    for (let k = 0; k < i; k++) uh[k] = v[ri + k] / h;
    let j = 0;
    for (; j + 3 < n; j += 4) {
      const r0 = j * n;
      const r1 = r0 + n;
      const r2 = r1 + n;
      const r3 = r2 + n;
      let g0 = 0;
      let g1 = 0;
      let g2 = 0;
      let g3 = 0;
      for (let k = 0; k < i; k++) {
        const u = v[ri + k];
        g0 += u * Z[r0 + k];
        g1 += u * Z[r1 + k];
        g2 += u * Z[r2 + k];
        g3 += u * Z[r3 + k];
      }
      for (let k = 0; k < i; k++) {
        const dk = uh[k];
        Z[r0 + k] -= g0 * dk;
        Z[r1 + k] -= g1 * dk;
        Z[r2 + k] -= g2 * dk;
        Z[r3 + k] -= g3 * dk;
      }
    }
    for (; j < n; j++) {
      const rj = j * n;
      let g = 0;
      for (let k = 0; k < i; k++) g += v[ri + k] * Z[rj + k];
      for (let k = 0; k < i; k++) Z[rj + k] -= g * uh[k];
    }
  }
  out.set(Z);
}
