// Allocation-free dense kernels for the Riemannian inference hot path (64×64 SPD matrices from
// 64×320 windows). Plain scalar JS: the speed comes from register blocking (4×4 output tiles, 16
// independent accumulators, 8 loads per 16 multiply-adds) and from exploiting symmetry.
import { symEigInPlace } from './symEig';

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
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0;
      let s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0;
      let s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let k = 0; k < K; k++) {
        const x0 = a[a0 + k];
        const x1 = a[a1 + k];
        const x2 = a[a2 + k];
        const x3 = a[a3 + k];
        const y0 = b[b0 + k];
        const y1 = b[b1 + k];
        const y2 = b[b2 + k];
        const y3 = b[b3 + k];
        s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
        s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
        s20 += x2 * y0; s21 += x2 * y1; s22 += x2 * y2; s23 += x2 * y3;
        s30 += x3 * y0; s31 += x3 * y1; s32 += x3 * y2; s33 += x3 * y3;
      }
      const o0 = i * n + j;
      const o1 = o0 + n;
      const o2 = o1 + n;
      const o3 = o2 + n;
      out[o0] = s00; out[o0 + 1] = s01; out[o0 + 2] = s02; out[o0 + 3] = s03;
      out[o1] = s10; out[o1 + 1] = s11; out[o1 + 2] = s12; out[o1 + 3] = s13;
      out[o2] = s20; out[o2 + 1] = s21; out[o2 + 2] = s22; out[o2 + 3] = s23;
      out[o3] = s30; out[o3 + 1] = s31; out[o3 + 2] = s32; out[o3 + 3] = s33;
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
  constructor(readonly n: number) {
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
  const S = congruenceInto(p, c, n, ws.mat, ws.tmp);
  const { d, e } = ws;
  symEigInPlace(S, n, d, e, true); // row k of S is now the eigenvector of d[k]
  // logm = Σ_k log(λ_k) u_k u_kᵀ = A·Bᵀ with A[i][k] = log(λ_k) u_k[i], B[i][k] = u_k[i].
  const A = ws.tmp;
  const B = ws.mat2;
  for (let k = 0; k < n; k++) d[k] = Math.log(d[k]);
  for (let k = 0; k < n; k++) {
    const rk = k * n;
    const f = d[k];
    for (let i = 0; i < n; i++) {
      const u = S[rk + i];
      B[i * n + k] = u;
      A[i * n + k] = f * u;
    }
  }
  const L = ws.mat3;
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
  const S = congruenceInto(p, c, n, ws.mat, ws.tmp);
  symEigInPlace(S, n, ws.d, ws.e, false);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const l = Math.log(ws.d[i]);
    s += l * l;
  }
  return s;
}
