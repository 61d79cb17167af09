/* eslint-disable */
// @ts-nocheck -- AssemblyScript source, compiled to riemann.wasm by `npm run build:wasm -w streams`
// (asc, not tsc: f64/usize/v128, load/store and memory are AssemblyScript built-ins).
//
// WebAssembly SIMD (f64x2) versions of the Riemannian inference kernels in ../kernels.ts and
// ../symEig.ts: the same algorithms step by step (Ledoit-Wolf covariance, congruence P·C·P,
// Householder tridiagonalisation, eigenvalues, inverse iteration, back-transformation, logm),
// float64 throughout, except that the tridiagonal's eigenvalues come from the root-free QL/QR
// (sterf, LAPACK dsterf) rather than the JS path's QL with rotations (tql2, kept here as sterf's
// fallback): the two agree to ~1e-14 relative per eigenvalue. Otherwise only the association order
// of some sums differs (two interleaved partial sums per dot product), so results agree with the JS
// kernels to rounding.
// Helpers are plain functions (no @inline decorators, which tsc/prettier/eslint cannot parse on
// functions); binaryen -O3 inlines the small ones. All arrays are row-major float64 in linear
// memory, passed as byte offsets; the JS loader
// (../wasmKernels.ts) owns the memory layout. No allocation happens here (runtime stub).

// Math.log from the host (bit-identical to the JS path's logarithms); an undecorated declaration is
// imported from the module named after this file: { 'riemann.as': { log } }.
declare function log(x: f64): f64;

function ld(p: usize, i: i32): f64 {
  return load<f64>(p + ((<usize>i) << 3));
}
function st(p: usize, i: i32, v: f64): void {
  store<f64>(p + ((<usize>i) << 3), v);
}
function vld(p: usize, i: i32): v128 {
  return v128.load(p + ((<usize>i) << 3));
}
function vst(p: usize, i: i32, v: v128): void {
  v128.store(p + ((<usize>i) << 3), v);
}
function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}
function vmadd(acc: v128, x: v128, y: v128): v128 {
  return f64x2.add(acc, f64x2.mul(x, y));
}

export function heapBase(): usize {
  return __heap_base;
}

/** Σ_k x[k]·y[k] for k < len (two interleaved partial sums). */
function dot(x: usize, y: usize, len: i32): f64 {
  let s = f64x2.splat(0);
  let k = 0;
  for (; k + 1 < len; k += 2) s = vmadd(s, vld(x, k), vld(y, k));
  let r = hsum(s);
  if (k < len) r += ld(x, k) * ld(y, k);
  return r;
}

/** y[k] += a·x[k] for k < len. */
function axpy(a: f64, x: usize, y: usize, len: i32): void {
  const va = f64x2.splat(a);
  let k = 0;
  for (; k + 1 < len; k += 2) vst(y, k, vmadd(vld(y, k), va, vld(x, k)));
  if (k < len) st(y, k, ld(y, k) + a * ld(x, k));
}

/**
 * out[i*n + j] = Σ_k a[i*K + k]·b[j*K + k] (A·Bᵀ, row-major n×K A and B); with `upper`, only j ≥ i
 * is computed and mirrored (A·Bᵀ must be symmetric). 4×2 output tiles, k two at a time.
 */
export function abt(a: usize, b: usize, n: i32, K: i32, out: usize, upper: bool): void {
  const n4 = n & ~3;
  const K2 = K & ~1;
  const rb = (<usize>K) << 3;
  for (let i = 0; i < n4; i += 4) {
    const a0 = a + <usize>i * rb;
    const a1 = a0 + rb;
    const a2 = a1 + rb;
    const a3 = a2 + rb;
    for (let j = upper ? i : 0; j < n4; j += 2) {
      const b0 = b + <usize>j * rb;
      const b1 = b0 + rb;
      let s00 = f64x2.splat(0);
      let s01 = f64x2.splat(0);
      let s10 = f64x2.splat(0);
      let s11 = f64x2.splat(0);
      let s20 = f64x2.splat(0);
      let s21 = f64x2.splat(0);
      let s30 = f64x2.splat(0);
      let s31 = f64x2.splat(0);
      for (let k = 0; k < K2; k += 2) {
        const y0 = vld(b0, k);
        const y1 = vld(b1, k);
        let x = vld(a0, k);
        s00 = vmadd(s00, x, y0);
        s01 = vmadd(s01, x, y1);
        x = vld(a1, k);
        s10 = vmadd(s10, x, y0);
        s11 = vmadd(s11, x, y1);
        x = vld(a2, k);
        s20 = vmadd(s20, x, y0);
        s21 = vmadd(s21, x, y1);
        x = vld(a3, k);
        s30 = vmadd(s30, x, y0);
        s31 = vmadd(s31, x, y1);
      }
      let t00 = hsum(s00);
      let t01 = hsum(s01);
      let t10 = hsum(s10);
      let t11 = hsum(s11);
      let t20 = hsum(s20);
      let t21 = hsum(s21);
      let t30 = hsum(s30);
      let t31 = hsum(s31);
      if (K2 < K) {
        const k = K2;
        const y0 = ld(b0, k);
        const y1 = ld(b1, k);
        t00 += ld(a0, k) * y0;
        t01 += ld(a0, k) * y1;
        t10 += ld(a1, k) * y0;
        t11 += ld(a1, k) * y1;
        t20 += ld(a2, k) * y0;
        t21 += ld(a2, k) * y1;
        t30 += ld(a3, k) * y0;
        t31 += ld(a3, k) * y1;
      }
      const o = i * n + j;
      st(out, o, t00);
      st(out, o + 1, t01);
      st(out, o + n, t10);
      st(out, o + n + 1, t11);
      st(out, o + 2 * n, t20);
      st(out, o + 2 * n + 1, t21);
      st(out, o + 3 * n, t30);
      st(out, o + 3 * n + 1, t31);
    }
  }
  // Remainder rows/columns (n not a multiple of 4).
  for (let i = 0; i < n; i++)
    for (let j = upper ? i : 0; j < n; j++) {
      if (i < n4 && j < n4) continue;
      st(out, i * n + j, dot(a + <usize>i * rb, b + <usize>j * rb, K));
    }
  if (upper) for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) st(out, i * n + j, ld(out, j * n + i));
}

/**
 * out[i*n + j] = Σ_k a[k*n + i]·b[k*n + j] (Aᵀ·B, row-major K×n A and B) for j ≥ i; entries below
 * the diagonal are left undefined. 4×4 output tiles: row k of B two vectors at a time, A's entries
 * broadcast; one running sum per entry (k in order).
 */
function atbUpper(a: usize, b: usize, n: i32, K: i32, out: usize): void {
  const n4 = n & ~3;
  const rb = (<usize>n) << 3;
  for (let i = 0; i < n4; i += 4) {
    for (let j = i; j < n4; j += 4) {
      let s00 = f64x2.splat(0);
      let s01 = f64x2.splat(0);
      let s10 = f64x2.splat(0);
      let s11 = f64x2.splat(0);
      let s20 = f64x2.splat(0);
      let s21 = f64x2.splat(0);
      let s30 = f64x2.splat(0);
      let s31 = f64x2.splat(0);
      let pa = a + ((<usize>i) << 3);
      let pb = b + ((<usize>j) << 3);
      for (let k = 0; k < K; k++) {
        const y0 = v128.load(pb);
        const y1 = v128.load(pb, 16);
        let x = v128.load64_splat(pa);
        s00 = vmadd(s00, x, y0);
        s01 = vmadd(s01, x, y1);
        x = v128.load64_splat(pa, 8);
        s10 = vmadd(s10, x, y0);
        s11 = vmadd(s11, x, y1);
        x = v128.load64_splat(pa, 16);
        s20 = vmadd(s20, x, y0);
        s21 = vmadd(s21, x, y1);
        x = v128.load64_splat(pa, 24);
        s30 = vmadd(s30, x, y0);
        s31 = vmadd(s31, x, y1);
        pa += rb;
        pb += rb;
      }
      const o = i * n + j;
      vst(out, o, s00);
      vst(out, o + 2, s01);
      vst(out, o + n, s10);
      vst(out, o + n + 2, s11);
      vst(out, o + 2 * n, s20);
      vst(out, o + 2 * n + 2, s21);
      vst(out, o + 3 * n, s30);
      vst(out, o + 3 * n + 2, s31);
    }
  }
  // the columns j ≥ n4 (n not a multiple of 4)
  for (let i = 0; i < n; i++)
    for (let j = i > n4 ? i : n4; j < n; j++) {
      let t: f64 = 0;
      for (let k = 0; k < K; k++) t += ld(a, k * n + i) * ld(b, k * n + j);
      st(out, i * n + j, t);
    }
}

/**
 * Ledoit-Wolf covariance (sklearn ledoit_wolf, assume_centered=False) of the channel-major n×T
 * window `data` into `cov` (n×n); `x` (n×T) and `q` (T) are scratch. As kernels.ts ledoitWolfInto.
 */
export function ledoitWolf(data: usize, n: i32, T: i32, x: usize, q: usize, cov: usize): void {
  memory.fill(q, 0, (<usize>T) << 3);
  const T2 = T & ~1;
  // the row means first, four rows per pass: each row's sum is one chain of dependent additions,
  // so four interleaved chains run ~4× faster than one at a time (each row's sum unchanged); kept
  // in cov (overwritten by the Gram matrix below)
  const rb = (<usize>T) << 3;
  let i0 = 0;
  for (; i0 + 3 < n; i0 += 4) {
    const r0 = data + <usize>i0 * rb;
    const r1 = r0 + rb;
    const r2 = r1 + rb;
    const r3 = r2 + rb;
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    let s2 = f64x2.splat(0);
    let s3 = f64x2.splat(0);
    for (let t = 0; t < T2; t += 2) {
      s0 = f64x2.add(s0, vld(r0, t));
      s1 = f64x2.add(s1, vld(r1, t));
      s2 = f64x2.add(s2, vld(r2, t));
      s3 = f64x2.add(s3, vld(r3, t));
    }
    st(cov, i0, hsum(s0));
    st(cov, i0 + 1, hsum(s1));
    st(cov, i0 + 2, hsum(s2));
    st(cov, i0 + 3, hsum(s3));
  }
  for (; i0 < n; i0++) {
    const row = data + <usize>i0 * rb;
    let sv = f64x2.splat(0);
    for (let t = 0; t < T2; t += 2) sv = f64x2.add(sv, vld(row, t));
    st(cov, i0, hsum(sv));
  }
  for (let i = 0; i < n; i++) {
    const row = data + ((<usize>(i * T)) << 3);
    const xr = x + ((<usize>(i * T)) << 3);
    let m = ld(cov, i);
    if (T2 < T) m += ld(row, T2);
    m /= <f64>T;
    const vm = f64x2.splat(m);
    for (let t = 0; t < T2; t += 2) {
      const v = f64x2.sub(vld(row, t), vm);
      vst(xr, t, v);
      vst(q, t, vmadd(vld(q, t), v, v));
    }
    if (T2 < T) {
      const v = ld(row, T2) - m;
      st(xr, T2, v);
      st(q, T2, ld(q, T2) + v * v);
    }
  }
  abt(x, x, n, T, cov, true);
  // cov /= T fused with Σ cov² (SIMD; the division as in the JS kernel)
  const nn = n * n;
  const nn2 = nn & ~1;
  const vT = f64x2.splat(<f64>T);
  let vd = f64x2.splat(0);
  for (let i = 0; i < nn2; i += 2) {
    const c = f64x2.div(vld(cov, i), vT);
    vst(cov, i, c);
    vd = vmadd(vd, c, c);
  }
  let delta_ = hsum(vd);
  if (nn2 < nn) {
    const c = ld(cov, nn2) / <f64>T;
    st(cov, nn2, c);
    delta_ += c * c;
  }
  if (n === 1) return;
  let traceSum: f64 = 0;
  for (let i = 0; i < n; i++) traceSum += ld(cov, i * n + i);
  const mu = traceSum / <f64>n;
  const beta_ = dot(q, q, T);
  let beta = (1 / <f64>(n * T)) * (beta_ / <f64>T - delta_);
  const delta = (delta_ - 2 * mu * traceSum + <f64>n * mu * mu) / <f64>n;
  beta = Math.min(beta, delta);
  const s = beta === 0 ? 0 : beta / delta;
  const f = 1 - s;
  const vf = f64x2.splat(f);
  for (let i = 0; i < nn2; i += 2) vst(cov, i, f64x2.mul(vld(cov, i), vf));
  if (nn2 < nn) st(cov, nn2, ld(cov, nn2) * f);
  for (let i = 0; i < n; i++) st(cov, i * n + i, ld(cov, i * n + i) + s * mu);
}

/** out = P·C·P for symmetric P and C (n×n), exactly symmetric; `tmp` is n×n scratch. */
export function congruence(p: usize, c: usize, n: i32, out: usize, tmp: usize): void {
  abt(p, c, n, n, tmp, false);
  abt(tmp, p, n, n, out, true);
}

/**
 * Householder tridiagonalisation (JAMA tred2 without accumulation, as symEig.ts
 * householderTridiagonal(…, false, h)): `V` keeps the Householder vectors (row i, entries 0…i−1),
 * `h` their scales, the tridiagonal is (d, e) with e[i] coupling i−1 and i. `sc` is 4 vectors of
 * scratch (al(8n) bytes each).
 * Each step's rank-2 update of the leading block is applied in the next step's pass over the
 * block, fused with that step's product A·u (the update of its last column goes first: the next
 * Householder vector is that column): one pass over the matrix per step instead of two, and the
 * update's independent arithmetic fills the latency of the product's sums. Every entry gets the
 * same operations in the same order as with two passes, so the result is identical.
 */
export function tred2(n: i32, e: usize, d: usize, V: usize, hOut: usize, sc: usize): void {
  const vn = al((<usize>n) << 3);
  let u = sc; // the column being reduced, then its Householder vector
  let w = sc + vn; // A·u, then the update's second vector
  let un = w + vn; // the pending update's u, then the next column
  let wn = un + vn; // the pending update's w
  let pend = false; // a rank-2 update (un, wn) pending on the leading block, all but its last column
  for (let j = 0; j < n; j++) st(u, j, ld(V, j * n + n - 1));
  for (let i = n - 1; i > 0; i--) {
    let scale: f64 = 0;
    let h: f64 = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(ld(u, k));
    if (scale === 0) {
      if (pend)
        for (let j = 0; j < i; j++) {
          const rj = V + ((<usize>(j * n)) << 3);
          const f = ld(un, j);
          const g = ld(wn, j);
          for (let k = j; k < i; k++) st(rj, k, ld(rj, k) - (f * ld(wn, k) + g * ld(un, k)));
        }
      pend = false;
      st(e, i, ld(u, i - 1));
      for (let j = 0; j < i; j++) {
        st(un, j, ld(V, j * n + i - 1));
        st(V, j * n + i, 0);
        st(V, i * n + j, 0);
      }
      const t = u;
      u = un;
      un = t;
    } else {
      for (let k = 0; k < i; k++) {
        const dk = ld(u, k) / scale;
        st(u, k, dk);
        h += dk * dk;
      }
      let f = ld(u, i - 1);
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      st(e, i, scale * g);
      h = h - f * g;
      st(u, i - 1, f - g);
      memory.fill(w, 0, (<usize>i) << 3);
      // w = A·u over the leading i×i block (stored in rows j, columns j…i−1); two rows per pass
      // over w, each row's dot product and its update of w fused, and before that the pending
      // update of the two rows (row j: A_jk −= uo_j·wo_k + wo_j·uo_k)
      let j = 0;
      for (; j + 1 < i; j += 2) {
        const f0 = ld(u, j);
        const f1 = ld(u, j + 1);
        st(V, i * n + j, f0);
        st(V, i * n + j + 1, f1);
        const r0 = V + ((<usize>(j * n)) << 3);
        const r1 = r0 + ((<usize>n) << 3);
        const p0 = pend ? ld(un, j) : 0;
        const q0 = pend ? ld(wn, j) : 0;
        const p1 = pend ? ld(un, j + 1) : 0;
        const q1 = pend ? ld(wn, j + 1) : 0;
        if (pend) {
          st(r0, j, ld(r0, j) - (p0 * ld(wn, j) + q0 * ld(un, j)));
          st(r0, j + 1, ld(r0, j + 1) - (p0 * ld(wn, j + 1) + q0 * ld(un, j + 1)));
          st(r1, j + 1, ld(r1, j + 1) - (p1 * ld(wn, j + 1) + q1 * ld(un, j + 1)));
        }
        const a01 = ld(r0, j + 1);
        const g0s = ld(w, j) + ld(r0, j) * f0 + a01 * f1;
        const g1s = ld(w, j + 1) + a01 * f0 + ld(r1, j + 1) * f1;
        const vf0 = f64x2.splat(f0);
        const vf1 = f64x2.splat(f1);
        let g0 = f64x2.splat(0);
        let g1 = f64x2.splat(0);
        let k = j + 2;
        if (pend) {
          const vp0 = f64x2.splat(p0);
          const vq0 = f64x2.splat(q0);
          const vp1 = f64x2.splat(p1);
          const vq1 = f64x2.splat(q1);
          for (; k + 1 < i; k += 2) {
            const wo = vld(wn, k);
            const uo = vld(un, k);
            const x0 = f64x2.sub(vld(r0, k), f64x2.add(f64x2.mul(vp0, wo), f64x2.mul(vq0, uo)));
            const x1 = f64x2.sub(vld(r1, k), f64x2.add(f64x2.mul(vp1, wo), f64x2.mul(vq1, uo)));
            vst(r0, k, x0);
            vst(r1, k, x1);
            const dk = vld(u, k);
            g0 = vmadd(g0, x0, dk);
            g1 = vmadd(g1, x1, dk);
            vst(w, k, f64x2.add(vld(w, k), f64x2.add(f64x2.mul(x0, vf0), f64x2.mul(x1, vf1))));
          }
        } else
          for (; k + 1 < i; k += 2) {
            const dk = vld(u, k);
            const x0 = vld(r0, k);
            const x1 = vld(r1, k);
            g0 = vmadd(g0, x0, dk);
            g1 = vmadd(g1, x1, dk);
            vst(w, k, f64x2.add(vld(w, k), f64x2.add(f64x2.mul(x0, vf0), f64x2.mul(x1, vf1))));
          }
        let t0 = g0s + hsum(g0);
        let t1 = g1s + hsum(g1);
        if (k < i) {
          if (pend) {
            st(r0, k, ld(r0, k) - (p0 * ld(wn, k) + q0 * ld(un, k)));
            st(r1, k, ld(r1, k) - (p1 * ld(wn, k) + q1 * ld(un, k)));
          }
          const dk = ld(u, k);
          const x0 = ld(r0, k);
          const x1 = ld(r1, k);
          t0 += x0 * dk;
          t1 += x1 * dk;
          st(w, k, ld(w, k) + (x0 * f0 + x1 * f1));
        }
        st(w, j, t0);
        st(w, j + 1, t1);
      }
      for (; j < i; j++) {
        f = ld(u, j);
        st(V, i * n + j, f);
        const rj = V + ((<usize>(j * n)) << 3);
        if (pend) {
          const p0 = ld(un, j);
          const q0 = ld(wn, j);
          for (let k = j; k < i; k++) st(rj, k, ld(rj, k) - (p0 * ld(wn, k) + q0 * ld(un, k)));
        }
        g = ld(w, j) + ld(rj, j) * f;
        const len = i - 1 - j;
        const rk = rj + ((<usize>(j + 1)) << 3);
        const dk = u + ((<usize>(j + 1)) << 3);
        const ek = w + ((<usize>(j + 1)) << 3);
        g += dot(rk, dk, len);
        axpy(f, rk, ek, len);
        st(w, j, g);
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        const ej = ld(w, j) / h;
        st(w, j, ej);
        f += ej * ld(u, j);
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) st(w, j, ld(w, j) - hh * ld(u, j));
      // this step's rank-2 update, its last column (the next column to reduce) now and the rest
      // pending (in the next step's pass)
      const wl = ld(w, i - 1);
      const ul = ld(u, i - 1);
      for (let j = 0; j < i; j++) {
        const rj = V + ((<usize>(j * n)) << 3);
        const c = ld(rj, i - 1) - (ld(u, j) * wl + ld(w, j) * ul);
        st(rj, i - 1, c);
        st(un, j, c);
        st(rj, i, 0);
      }
      pend = true;
      let t = u;
      u = un;
      un = t;
      t = w;
      w = wn;
      wn = t;
    }
    st(hOut, i, h);
  }
  st(hOut, 0, 0);
  for (let j = 0; j < n; j++) st(d, j, ld(V, j * n + j));
  st(e, 0, 0);
}

function hypot(a: f64, b: f64): f64 {
  let r: f64;
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

/** Eigenvalues (ascending, into d) of the tridiagonal (d, e) by implicit QL (JAMA tql2 without vectors). 0 on success. */
export function tql2(n: i32, e: usize, d: usize): i32 {
  for (let i = 1; i < n; i++) st(e, i - 1, ld(e, i));
  st(e, n - 1, 0);
  let f: f64 = 0;
  let tst1: f64 = 0;
  const eps = f64.EPSILON;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(ld(d, l)) + Math.abs(ld(e, l)));
    let m = l;
    while (m < n) {
      if (Math.abs(ld(e, m)) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        iter++;
        if (iter > 200) return 1;
        let g = ld(d, l);
        let p = (ld(d, l + 1) - g) / (2 * ld(e, l));
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        st(d, l, ld(e, l) / (p + r));
        st(d, l + 1, ld(e, l) * (p + r));
        const dl1 = ld(d, l + 1);
        let h = g - ld(d, l);
        for (let i = l + 2; i < n; i++) st(d, i, ld(d, i) - h);
        f += h;
        p = ld(d, m);
        let c: f64 = 1;
        let c2 = c;
        let c3 = c;
        const el1 = ld(e, l + 1);
        let s: f64 = 0;
        let s2: f64 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          const ei = ld(e, i);
          g = c * ei;
          h = c * p;
          // hypot without its branch and division (on the latency-critical chain); the scaled
          // form only where p² + e² could over- or underflow
          r = Math.sqrt(p * p + ei * ei);
          if (!(r > 1e-140 && r < 1e140)) r = hypot(p, ei);
          st(e, i + 1, s * r);
          const ir = 1 / r;
          s = ei * ir;
          c = p * ir;
          const di = ld(d, i);
          p = c * di - s * g;
          st(d, i + 1, h + s * (c * g + s * di));
        }
        p = (-s * s2 * c3 * el1 * ld(e, l)) / dl1;
        st(e, l, s * p);
        st(d, l, c * p);
      } while (Math.abs(ld(e, l)) > eps * tst1);
    }
    st(d, l, ld(d, l) + f);
    st(e, l, 0);
  }
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = ld(d, i);
    for (let j = i + 1; j < n; j++) {
      if (ld(d, j) < p) {
        k = j;
        p = ld(d, j);
      }
    }
    if (k !== i) {
      st(d, k, ld(d, i));
      st(d, i, p);
    }
  }
  return 0;
}

/** Eigenvalues of the 2×2 symmetric [[a, b], [b, c]] (LAPACK dlae2): rt1 (larger in absolute value) into d[i1], rt2 into d[i2]. */
function lae2(a: f64, b: f64, c: f64, d: usize, i1: i32, i2: i32): void {
  const sm = a + c;
  const adf = Math.abs(a - c);
  const ab = Math.abs(b + b);
  let acmx = c;
  let acmn = a;
  if (Math.abs(a) > Math.abs(c)) {
    acmx = a;
    acmn = c;
  }
  let rt: f64;
  if (adf > ab) {
    const q = ab / adf;
    rt = adf * Math.sqrt(1 + q * q);
  } else if (adf < ab) {
    const q = adf / ab;
    rt = ab * Math.sqrt(1 + q * q);
  } else rt = ab * Math.SQRT2;
  let rt1: f64;
  let rt2: f64;
  if (sm < 0) {
    rt1 = 0.5 * (sm - rt);
    rt2 = (acmx / rt1) * acmn - (b / rt1) * b;
  } else if (sm > 0) {
    rt1 = 0.5 * (sm + rt);
    rt2 = (acmx / rt1) * acmn - (b / rt1) * b;
  } else {
    rt1 = 0.5 * rt;
    rt2 = -0.5 * rt;
  }
  st(d, i1, rt1);
  st(d, i2, rt2);
}

// p·r outside [PR_MIN, PR_MAX] or num² above PR_MAX: dsterf's own form for p (the quotient's
// terms could under- or overflow)
const PR_MIN: f64 = 1e-290;
const PR_MAX: f64 = 1e290;

/**
 * Eigenvalues (ascending, into d) of the tridiagonal (d, e), e[i] coupling i−1 and i as tql2's
 * input, by the root-free Pal–Walker–Kahan QL/QR iteration (LAPACK dsterf: the recurrences run on
 * the squares of the off-diagonal, with no square root per rotation). Matrices whose entries are
 * outside [1e-60, 1e60] in absolute value go to tql2. 0 on success.
 */
export function sterf(n: i32, e: usize, d: usize): i32 {
  const eps = f64.EPSILON * 0.5; // dlamch('E'): the unit round-off
  const eps2 = eps * eps;
  // dsterf rescales blocks outside [√safmin/ε², √safmax/3]; here a narrower range (far from any
  // overflow of the squares and products below) and tql2 outside it
  const ssfmax: f64 = 1e60;
  const ssfmin: f64 = 1e-60;
  let anorm: f64 = 0;
  for (let i = 0; i < n; i++) anorm = Math.max(anorm, Math.abs(ld(d, i)));
  for (let i = 1; i < n; i++) anorm = Math.max(anorm, Math.abs(ld(e, i)));
  if (!(anorm <= ssfmax) || (anorm < ssfmin && anorm !== 0)) return tql2(n, e, d);
  for (let i = 1; i < n; i++) st(e, i - 1, ld(e, i));
  if (n > 0) st(e, n - 1, 0);
  const nmaxit = n * 30;
  let jtot = 0;
  let l1 = 0;
  while (l1 < n) {
    if (l1 > 0) st(e, l1 - 1, 0);
    let m = l1;
    for (; m < n - 1; m++) {
      const em = Math.abs(ld(e, m));
      if (em <= Math.sqrt(Math.abs(ld(d, m))) * Math.sqrt(Math.abs(ld(d, m + 1))) * eps) {
        st(e, m, 0);
        break;
      }
    }
    if (m >= n - 1) m = n - 1;
    let l = l1;
    const lsv = l;
    let lend = m;
    const lendsv = lend;
    l1 = m + 1;
    if (lend === l) continue;
    for (let i = l; i < lend; i++) {
      const v = ld(e, i);
      st(e, i, v * v);
    }
    if (Math.abs(ld(d, lend)) < Math.abs(ld(d, l))) {
      lend = lsv;
      l = lendsv;
    }
    if (lend >= l) {
      // QL iteration
      for (;;) {
        let mm = l;
        for (; mm < lend; mm++) if (Math.abs(ld(e, mm)) <= eps2 * Math.abs(ld(d, mm) * ld(d, mm + 1))) break;
        m = mm;
        if (m < lend) st(e, m, 0);
        let p = ld(d, l);
        if (m === l) {
          st(d, l, p);
          l++;
          if (l <= lend) continue;
          break;
        }
        if (m === l + 1) {
          lae2(ld(d, l), Math.sqrt(ld(e, l)), ld(d, l + 1), d, l, l + 1);
          st(e, l, 0);
          l += 2;
          if (l <= lend) continue;
          break;
        }
        if (jtot === nmaxit) return 1;
        jtot++;
        const rte = Math.sqrt(ld(e, l));
        let sigma = (ld(d, l + 1) - p) / (2 * rte);
        const r = hypot(sigma, 1);
        sigma = p - rte / (sigma + (sigma >= 0 ? r : -r));
        let c: f64 = 1;
        let s: f64 = 0;
        let gamma = ld(d, m) - sigma;
        p = gamma * gamma;
        for (let i = m - 1; i >= l; i--) {
          const bb = ld(e, i);
          const rr = p + bb;
          if (i !== m - 1) st(e, i + 1, s * rr);
          const oldc = c;
          c = p / rr;
          s = bb / rr;
          const alpha = ld(d, i);
          const oldgam = gamma;
          // γ = c(α − σ) − s·γ_old and p = γ²/c with the divisions by r and c taken out of the
          // recurrence: γ = num/r, p = num²/(p·r) (one division on the critical path, not two)
          const num = p * (alpha - sigma) - bb * oldgam;
          const pr = p * rr;
          gamma = num / rr;
          st(d, i + 1, oldgam + (alpha - gamma));
          const nn = num * num;
          p = pr > PR_MIN && pr < PR_MAX && nn < PR_MAX ? nn / pr : c !== 0 ? (gamma * gamma) / c : oldc * bb;
        }
        st(e, l, s * p);
        st(d, l, sigma + gamma);
      }
    } else {
      // QR iteration
      for (;;) {
        let mm = l;
        for (; mm > lend; mm--) if (Math.abs(ld(e, mm - 1)) <= eps2 * Math.abs(ld(d, mm) * ld(d, mm - 1))) break;
        m = mm;
        if (m > lend) st(e, m - 1, 0);
        let p = ld(d, l);
        if (m === l) {
          st(d, l, p);
          l--;
          if (l >= lend) continue;
          break;
        }
        if (m === l - 1) {
          lae2(ld(d, l), Math.sqrt(ld(e, l - 1)), ld(d, l - 1), d, l, l - 1);
          st(e, l - 1, 0);
          l -= 2;
          if (l >= lend) continue;
          break;
        }
        if (jtot === nmaxit) return 1;
        jtot++;
        const rte = Math.sqrt(ld(e, l - 1));
        let sigma = (ld(d, l - 1) - p) / (2 * rte);
        const r = hypot(sigma, 1);
        sigma = p - rte / (sigma + (sigma >= 0 ? r : -r));
        let c: f64 = 1;
        let s: f64 = 0;
        let gamma = ld(d, m) - sigma;
        p = gamma * gamma;
        for (let i = m; i < l; i++) {
          const bb = ld(e, i);
          const rr = p + bb;
          if (i !== m) st(e, i - 1, s * rr);
          const oldc = c;
          c = p / rr;
          s = bb / rr;
          const alpha = ld(d, i + 1);
          const oldgam = gamma;
          const num = p * (alpha - sigma) - bb * oldgam;
          const pr = p * rr;
          gamma = num / rr;
          st(d, i, oldgam + (alpha - gamma));
          const nn = num * num;
          p = pr > PR_MIN && pr < PR_MAX && nn < PR_MAX ? nn / pr : c !== 0 ? (gamma * gamma) / c : oldc * bb;
        }
        st(e, l - 1, s * p);
        st(d, l, sigma + gamma);
      }
    }
  }
  // ascending (insertion sort: the values come out nearly sorted)
  for (let i = 1; i < n; i++) {
    const v = ld(d, i);
    let j = i - 1;
    for (; j >= 0 && ld(d, j) > v; j--) st(d, j + 1, ld(d, j));
    st(d, j + 1, v);
  }
  return 0;
}

// Workspace layout for n channels (byte offsets from the workspace base), see wsBytes.
function al(b: usize): usize {
  return (b + 15) & ~(<usize>15);
}
export function wsBytes(n: i32): usize {
  const nn = (<usize>(n * n)) << 3;
  const vn = al((<usize>n) << 3);
  return 4 * al(nn) + 33 * vn + al(<usize>n); // 24 vn: the multi-lane inverse iteration
}

/** x ← x / max|x|, then x ← x / ‖x‖ (as kernels.ts); false if that is not finite. */
function normalise(x: usize, n: i32): bool {
  const n2 = n & ~1;
  // two running maxima (f64x2.max is several instructions on x64: one chain is latency-bound);
  // the maximum does not depend on the order
  let vmx = f64x2.splat(0);
  let vmy = f64x2.splat(0);
  let i = 0;
  for (; i + 3 < n2; i += 4) {
    vmx = f64x2.max(vmx, f64x2.abs(vld(x, i)));
    vmy = f64x2.max(vmy, f64x2.abs(vld(x, i + 2)));
  }
  if (i < n2) vmx = f64x2.max(vmx, f64x2.abs(vld(x, i)));
  vmx = f64x2.max(vmx, vmy);
  let mx = Math.max(f64x2.extract_lane(vmx, 0), f64x2.extract_lane(vmx, 1));
  if (n2 < n) mx = Math.max(mx, Math.abs(ld(x, n2)));
  const vm = f64x2.splat(mx);
  let vn = f64x2.splat(0);
  for (let i = 0; i < n2; i += 2) {
    const xi = f64x2.div(vld(x, i), vm);
    vst(x, i, xi);
    vn = vmadd(vn, xi, xi);
  }
  let nrm = hsum(vn);
  if (n2 < n) {
    const xi = ld(x, n2) / mx;
    st(x, n2, xi);
    nrm += xi * xi;
  }
  nrm = 1 / Math.sqrt(nrm);
  if (!isFinite(nrm)) return false;
  const vr = f64x2.splat(nrm);
  for (let i = 0; i < n2; i += 2) vst(x, i, f64x2.mul(vld(x, i), vr));
  if (n2 < n) st(x, n2, ld(x, n2) * nrm);
  return true;
}

// Inverse iteration's pseudo-random start vectors: the first RAND_LEN values of its LCG stream
// (seed 0x2545f491, values in [−1, 1)), computed once per instance (enough for n ≤ 64; larger n
// generate theirs on the fly, the same values).
const RAND_LEN: i32 = 64 * 64;
const rand: usize = memory.data(RAND_LEN << 3, 16);
let randReady = false;
function fillRand(): void {
  let seed: u32 = 0x2545f491;
  for (let i = 0; i < RAND_LEN; i++) {
    seed = seed * 1664525 + 1013904223;
    st(rand, i, <f64>seed / 2147483648 - 1);
  }
  randReady = true;
}

// Between inverse iteration's two solves, a vector that needs no orthogonalisation is normalised
// only if its largest entry is outside [SCALE_LO, SCALE_HI]: the second solve is linear, so the
// scale of its right-hand side only matters for over- and underflow (the result is normalised).
const SCALE_LO: f64 = 1e-150;
const SCALE_HI: f64 = 1e150;
/**
 * Whether every lane's largest |entry| is within [SCALE_LO, SCALE_HI] (and none is NaN) in the
 * interleaved pairs x (n rows) or, with quad, the two interleaved pairs of luQuad's layout.
 */
function maxesInRange(x: usize, n: i32, quad: bool): bool {
  // two running maxima per lane pair, rows alternating (as normalise: shorter max chains)
  let mA = f64x2.splat(0);
  let mB = f64x2.splat(0);
  let mC = f64x2.splat(0);
  let mD = f64x2.splat(0);
  let i = 0;
  if (quad) {
    for (; i + 1 < n; i += 2) {
      const o = x + ((<usize>i) << 5);
      mA = f64x2.max(mA, f64x2.abs(v128.load(o)));
      mB = f64x2.max(mB, f64x2.abs(v128.load(o, 16)));
      mC = f64x2.max(mC, f64x2.abs(v128.load(o, 32)));
      mD = f64x2.max(mD, f64x2.abs(v128.load(o, 48)));
    }
    if (i < n) {
      const o = x + ((<usize>i) << 5);
      mA = f64x2.max(mA, f64x2.abs(v128.load(o)));
      mB = f64x2.max(mB, f64x2.abs(v128.load(o, 16)));
    }
    mA = f64x2.max(mA, mC);
    mB = f64x2.max(mB, mD);
  } else {
    for (; i + 1 < n; i += 2) {
      const o = x + ((<usize>i) << 4);
      mA = f64x2.max(mA, f64x2.abs(v128.load(o)));
      mC = f64x2.max(mC, f64x2.abs(v128.load(o, 16)));
    }
    if (i < n) mA = f64x2.max(mA, f64x2.abs(v128.load(x + ((<usize>i) << 4))));
    mA = f64x2.max(mA, mC);
    mB = mA;
  }
  const lo = f64x2.splat(SCALE_LO);
  const hi = f64x2.splat(SCALE_HI);
  const ok = v128.and(v128.and(f64x2.ge(mA, lo), f64x2.le(mA, hi)), v128.and(f64x2.ge(mB, lo), f64x2.le(mB, hi)));
  return i64x2.all_true(ok);
}

/**
 * Branch-free pivoted LU of T − xj0·I and T − xj1·I at once (lane 0 and lane 1 of each entry;
 * layouts as the scalar dd, dl, du, du2, with the pivot choices as lane masks in pm).
 */
function luPair(
  td: usize,
  te: usize,
  n: i32,
  xj0: f64,
  xj1: f64,
  pivMin: f64,
  dd: usize,
  dl: usize,
  du: usize,
  du2: usize,
  pm: usize,
): void {
  const xj = f64x2.replace_lane(f64x2.splat(xj0), 1, xj1);
  const zero = f64x2.splat(0);
  const vpm = f64x2.splat(pivMin);
  let a = f64x2.sub(f64x2.splat(ld(td, 0)), xj);
  let u = f64x2.splat(n > 1 ? ld(te, 1) : 0);
  for (let i = 0; i + 1 < n; i++) {
    const c = f64x2.splat(ld(te, i + 1));
    const b = f64x2.sub(f64x2.splat(ld(td, i + 1)), xj);
    const u2n = f64x2.splat(i + 2 < n ? ld(te, i + 2) : 0);
    const p = f64x2.lt(f64x2.abs(a), f64x2.abs(c));
    a = v128.bitselect(vpm, a, v128.andnot(f64x2.eq(a, zero), p));
    const den = v128.bitselect(c, a, p);
    const f = f64x2.div(v128.bitselect(a, c, p), den);
    const y = v128.bitselect(b, u, p);
    const z = v128.bitselect(u, b, p);
    v128.store(dd + ((<usize>i) << 4), den);
    v128.store(dl + ((<usize>i) << 4), f);
    v128.store(du + ((<usize>i) << 4), y);
    v128.store(du2 + ((<usize>i) << 4), v128.and(u2n, p));
    v128.store(pm + ((<usize>i) << 4), p);
    a = f64x2.sub(z, f64x2.mul(f, y));
    u = v128.bitselect(f64x2.mul(f64x2.neg(f), u2n), u2n, p);
  }
  v128.store(dd + ((<usize>(n - 1)) << 4), a);
  const one = f64x2.splat(1);
  const npm = f64x2.splat(-pivMin);
  for (let i = 0; i < n; i++) {
    const v = v128.load(dd + ((<usize>i) << 4));
    const small = f64x2.lt(f64x2.abs(v), vpm);
    const sub = v128.bitselect(npm, vpm, f64x2.lt(v, zero));
    v128.store(dd + ((<usize>i) << 4), f64x2.div(one, v128.bitselect(sub, v, small)));
  }
}

/** Solves both lanes' (T − xj·I) y = x in place on the interleaved pairs x (see luPair). */
function solvePair(n: i32, dd: usize, dl: usize, du: usize, du2: usize, pm: usize, x: usize): void {
  let cur = v128.load(x);
  for (let i = 0; i + 1 < n; i++) {
    const o = (<usize>i) << 4;
    const xn = v128.load(x + o + 16);
    const p = v128.load(pm + o);
    const xi = v128.bitselect(xn, cur, p);
    v128.store(x + o, xi);
    cur = f64x2.sub(v128.bitselect(cur, xn, p), f64x2.mul(v128.load(dl + o), xi));
  }
  const last = (<usize>(n - 1)) << 4;
  let xa = f64x2.mul(cur, v128.load(dd + last));
  v128.store(x + last, xa);
  let xb = f64x2.splat(0);
  if (n > 1) {
    const o = last - 16;
    xb = xa;
    xa = f64x2.mul(f64x2.sub(v128.load(x + o), f64x2.mul(v128.load(du + o), xb)), v128.load(dd + o));
    v128.store(x + o, xa);
  }
  for (let i = n - 3; i >= 0; i--) {
    const o = (<usize>i) << 4;
    const v = f64x2.mul(
      f64x2.sub(f64x2.sub(v128.load(x + o), f64x2.mul(v128.load(du + o), xa)), f64x2.mul(v128.load(du2 + o), xb)),
      v128.load(dd + o),
    );
    v128.store(x + o, v);
    xb = xa;
    xa = v;
  }
}

/** luPair for two pairs of shifts at once (lanes k, k+1 | k+2, k+3; 32 bytes per row index). */
function luQuad(
  td: usize,
  te: usize,
  n: i32,
  x0: f64,
  x1: f64,
  x2: f64,
  x3: f64,
  pivMin: f64,
  dd: usize,
  dl: usize,
  du: usize,
  du2: usize,
  pm: usize,
): void {
  const xA = f64x2.replace_lane(f64x2.splat(x0), 1, x1);
  const xB = f64x2.replace_lane(f64x2.splat(x2), 1, x3);
  const zero = f64x2.splat(0);
  const vpm = f64x2.splat(pivMin);
  const t0 = f64x2.splat(ld(td, 0));
  let aA = f64x2.sub(t0, xA);
  let aB = f64x2.sub(t0, xB);
  let uA = f64x2.splat(n > 1 ? ld(te, 1) : 0);
  let uB = uA;
  for (let i = 0; i + 1 < n; i++) {
    const c = f64x2.splat(ld(te, i + 1));
    const tdi = f64x2.splat(ld(td, i + 1));
    const u2n = f64x2.splat(i + 2 < n ? ld(te, i + 2) : 0);
    const bA = f64x2.sub(tdi, xA);
    const bB = f64x2.sub(tdi, xB);
    const pA = f64x2.lt(f64x2.abs(aA), f64x2.abs(c));
    const pB = f64x2.lt(f64x2.abs(aB), f64x2.abs(c));
    aA = v128.bitselect(vpm, aA, v128.andnot(f64x2.eq(aA, zero), pA));
    aB = v128.bitselect(vpm, aB, v128.andnot(f64x2.eq(aB, zero), pB));
    const denA = v128.bitselect(c, aA, pA);
    const denB = v128.bitselect(c, aB, pB);
    const fA = f64x2.div(v128.bitselect(aA, c, pA), denA);
    const fB = f64x2.div(v128.bitselect(aB, c, pB), denB);
    const yA = v128.bitselect(bA, uA, pA);
    const yB = v128.bitselect(bB, uB, pB);
    const zA = v128.bitselect(uA, bA, pA);
    const zB = v128.bitselect(uB, bB, pB);
    const o = (<usize>i) << 5;
    v128.store(dd + o, denA);
    v128.store(dd + o + 16, denB);
    v128.store(dl + o, fA);
    v128.store(dl + o + 16, fB);
    v128.store(du + o, yA);
    v128.store(du + o + 16, yB);
    v128.store(du2 + o, v128.and(u2n, pA));
    v128.store(du2 + o + 16, v128.and(u2n, pB));
    v128.store(pm + o, pA);
    v128.store(pm + o + 16, pB);
    aA = f64x2.sub(zA, f64x2.mul(fA, yA));
    aB = f64x2.sub(zB, f64x2.mul(fB, yB));
    uA = v128.bitselect(f64x2.mul(f64x2.neg(fA), u2n), u2n, pA);
    uB = v128.bitselect(f64x2.mul(f64x2.neg(fB), u2n), u2n, pB);
  }
  const last = (<usize>(n - 1)) << 5;
  v128.store(dd + last, aA);
  v128.store(dd + last + 16, aB);
  const one = f64x2.splat(1);
  const npm = f64x2.splat(-pivMin);
  for (let i = 0; i < 2 * n; i++) {
    const v = v128.load(dd + ((<usize>i) << 4));
    const small = f64x2.lt(f64x2.abs(v), vpm);
    const sub = v128.bitselect(npm, vpm, f64x2.lt(v, zero));
    v128.store(dd + ((<usize>i) << 4), f64x2.div(one, v128.bitselect(sub, v, small)));
  }
}

/** solvePair for the two pairs of luQuad (x: 4 interleaved vectors). */
function solveQuad(n: i32, dd: usize, dl: usize, du: usize, du2: usize, pm: usize, x: usize): void {
  let cA = v128.load(x);
  let cB = v128.load(x + 16);
  for (let i = 0; i + 1 < n; i++) {
    const o = (<usize>i) << 5;
    const nA = v128.load(x + o + 32);
    const nB = v128.load(x + o + 48);
    const pA = v128.load(pm + o);
    const pB = v128.load(pm + o + 16);
    const iA = v128.bitselect(nA, cA, pA);
    const iB = v128.bitselect(nB, cB, pB);
    v128.store(x + o, iA);
    v128.store(x + o + 16, iB);
    cA = f64x2.sub(v128.bitselect(cA, nA, pA), f64x2.mul(v128.load(dl + o), iA));
    cB = f64x2.sub(v128.bitselect(cB, nB, pB), f64x2.mul(v128.load(dl + o + 16), iB));
  }
  const last = (<usize>(n - 1)) << 5;
  let aA = f64x2.mul(cA, v128.load(dd + last));
  let aB = f64x2.mul(cB, v128.load(dd + last + 16));
  v128.store(x + last, aA);
  v128.store(x + last + 16, aB);
  let bA = f64x2.splat(0);
  let bB = bA;
  if (n > 1) {
    const o = last - 32;
    bA = aA;
    bB = aB;
    aA = f64x2.mul(f64x2.sub(v128.load(x + o), f64x2.mul(v128.load(du + o), bA)), v128.load(dd + o));
    aB = f64x2.mul(f64x2.sub(v128.load(x + o + 16), f64x2.mul(v128.load(du + o + 16), bB)), v128.load(dd + o + 16));
    v128.store(x + o, aA);
    v128.store(x + o + 16, aB);
  }
  for (let i = n - 3; i >= 0; i--) {
    const o = (<usize>i) << 5;
    const vA = f64x2.mul(
      f64x2.sub(f64x2.sub(v128.load(x + o), f64x2.mul(v128.load(du + o), aA)), f64x2.mul(v128.load(du2 + o), bA)),
      v128.load(dd + o),
    );
    const vB = f64x2.mul(
      f64x2.sub(f64x2.sub(v128.load(x + o + 16), f64x2.mul(v128.load(du + o + 16), aB)), f64x2.mul(v128.load(du2 + o + 16), bB)),
      v128.load(dd + o + 16),
    );
    v128.store(x + o, vA);
    v128.store(x + o + 16, vB);
    bA = aA;
    bB = aB;
    aA = vA;
    aB = vB;
  }
}

/**
 * Eigendecomposition for the tangent vector (as kernels.ts symEigInvIt): Householder
 * tridiagonalisation of `v` (destroyed), root-free QL/QR eigenvalues into d, inverse-iteration
 * eigenvectors of the tridiagonal and back-transformation; eigenvectors as rows of `out` (which
 * may be Z, the workspace they are computed in: then nothing is copied). Returns 0, or 1 if the
 * iteration broke down (the caller then falls back to the JS path).
 */
function symEigInvIt(
  v: usize,
  n: i32,
  out: usize,
  Z: usize,
  d: usize,
  e: usize,
  td: usize,
  te: usize,
  hs: usize,
  x: usize,
  lu: usize,
  piv: usize,
  pw: usize,
): i32 {
  tred2(n, te, td, v, hs, lu); // lu: free until the inverse iteration
  memory.copy(d, td, (<usize>n) << 3);
  memory.copy(e, te, (<usize>n) << 3);
  if (sterf(n, e, d) !== 0) return 1;
  const nb = (<usize>n) << 3;
  const dd = lu;
  const dl = lu + nb;
  const du = dl + nb;
  const du2 = du + nb;
  let onenrm: f64 = 0;
  for (let i = 0; i < n; i++) {
    const r = Math.abs(ld(td, i)) + (i > 0 ? Math.abs(ld(te, i)) : 0) + (i + 1 < n ? Math.abs(ld(te, i + 1)) : 0);
    if (r > onenrm) onenrm = r;
  }
  const eps = f64.EPSILON;
  const ortol = 1e-3 * onenrm;
  let pivMin = eps * onenrm;
  if (pivMin === 0) pivMin = eps;
  let clusterStart = 0;
  let xjm: f64 = 0;
  let seed: u32 = 0x2545f491;
  // the start vectors (eigenvector k: values k·n … k·n + n − 1 of the seeded LCG stream) from the
  // precomputed stream when it is long enough
  const table = n * n <= RAND_LEN;
  if (table && !randReady) fillRand();
  for (let k = 0; k < n;) {
    let xj = ld(d, k);
    if (k > 0) {
      if (xj - ld(d, k - 1) > ortol) clusterStart = k;
      else {
        const pertol = 10 * Math.abs(eps * xj);
        if (xj - xjm < pertol) xj = xjm + pertol;
      }
    }
    xjm = xj;
    if (k + 3 < n && ld(d, k + 1) - ld(d, k) > ortol && ld(d, k + 2) - ld(d, k + 1) > ortol && ld(d, k + 3) - ld(d, k + 2) > ortol) {
      // k+1, k+2 and k+3 each start a new cluster: four eigenvectors at once, two f64x2 chains
      // interleaved (as the pair case below, twice over).
      const dd4 = pw;
      const dl4 = dd4 + 4 * nb;
      const du4 = dl4 + 4 * nb;
      const dv4 = du4 + 4 * nb;
      const pm4 = dv4 + 4 * nb;
      const x4 = pm4 + 4 * nb;
      luQuad(td, te, n, xj, ld(d, k + 1), ld(d, k + 2), ld(d, k + 3), pivMin, dd4, dl4, du4, dv4, pm4);
      if (table) {
        const r0 = rand + ((<usize>(k * n)) << 3);
        for (let lane = 0; lane < 4; lane++) {
          const rl = r0 + <usize>lane * nb;
          for (let i = 0; i < n; i++) st(x4, 4 * i + lane, ld(rl, i));
        }
      } else
        for (let lane = 0; lane < 4; lane++)
          for (let i = 0; i < n; i++) {
            seed = seed * 1664525 + 1013904223;
            st(x4, 4 * i + lane, <f64>seed / 2147483648 - 1);
          }
      const z0 = Z + ((<usize>(k * n)) << 3);
      for (let it = 0; it < 2; it++) {
        solveQuad(n, dd4, dl4, du4, dv4, pm4, x4);
        if (it === 0 && clusterStart === k && maxesInRange(x4, n, true)) continue;
        for (let lane = 0; lane < 4; lane++) {
          const zl = z0 + <usize>lane * nb;
          for (let i = 0; i < n; i++) st(zl, i, ld(x4, 4 * i + lane));
        }
        for (let j = clusterStart; j < k; j++) {
          const zj = Z + ((<usize>(j * n)) << 3);
          axpy(-dot(z0, zj, n), zj, z0, n);
        }
        for (let lane = 0; lane < 4; lane++) if (!normalise(z0 + <usize>lane * nb, n)) return 1;
        if (it === 0)
          for (let lane = 0; lane < 4; lane++) {
            const zl = z0 + <usize>lane * nb;
            for (let i = 0; i < n; i++) st(x4, 4 * i + lane, ld(zl, i));
          }
      }
      xjm = ld(d, k + 3);
      clusterStart = k + 3;
      k += 4;
      continue;
    }
    if (k + 1 < n && ld(d, k + 1) - ld(d, k) > ortol) {
      // k+1 starts a new cluster (no perturbation, nothing to orthogonalise it against): iterate
      // for k and k+1 at once, one per f64x2 lane (the same arithmetic per lane as the scalar path
      // below), which overlaps the two latency-bound recurrences.
      const xj1 = ld(d, k + 1);
      const dd2 = pw;
      const dl2 = dd2 + 2 * nb;
      const du2v = dl2 + 2 * nb;
      const dv2 = du2v + 2 * nb;
      const pm = dv2 + 2 * nb;
      const x2 = pm + 2 * nb;
      luPair(td, te, n, xj, xj1, pivMin, dd2, dl2, du2v, dv2, pm);
      if (table) {
        const r0 = rand + ((<usize>(k * n)) << 3);
        const r1 = r0 + nb;
        for (let i = 0; i < n; i++) vst(x2, 2 * i, f64x2.replace_lane(f64x2.splat(ld(r0, i)), 1, ld(r1, i)));
      } else {
        for (let i = 0; i < n; i++) {
          seed = seed * 1664525 + 1013904223;
          st(x2, 2 * i, <f64>seed / 2147483648 - 1);
        }
        for (let i = 0; i < n; i++) {
          seed = seed * 1664525 + 1013904223;
          st(x2, 2 * i + 1, <f64>seed / 2147483648 - 1);
        }
      }
      const z0 = Z + ((<usize>(k * n)) << 3);
      const z1 = z0 + nb;
      for (let it = 0; it < 2; it++) {
        solvePair(n, dd2, dl2, du2v, dv2, pm, x2);
        if (it === 0 && clusterStart === k && maxesInRange(x2, n, false)) continue;
        for (let i = 0; i < n; i++) {
          st(z0, i, ld(x2, 2 * i));
          st(z1, i, ld(x2, 2 * i + 1));
        }
        for (let j = clusterStart; j < k; j++) {
          const zj = Z + ((<usize>(j * n)) << 3);
          axpy(-dot(z0, zj, n), zj, z0, n);
        }
        if (!normalise(z0, n) || !normalise(z1, n)) return 1;
        if (it === 0)
          for (let i = 0; i < n; i++) {
            st(x2, 2 * i, ld(z0, i));
            st(x2, 2 * i + 1, ld(z1, i));
          }
      }
      xjm = xj1;
      clusterStart = k + 1;
      k += 2;
      continue;
    }
    // LU with partial pivoting of T − xj·I (LAPACK dgttrf layout: dd, dl, du, du2), branch-free:
    // the pivot choice is data-dependent and unpredictable, so both cases are computed with
    // selects (the same arithmetic as kernels.ts for the case taken). Row i's pending diagonal and
    // superdiagonal stay in registers (a, u).
    let a = ld(td, 0) - xj;
    let u = n > 1 ? ld(te, 1) : 0;
    for (let i = 0; i + 1 < n; i++) {
      const c = ld(te, i + 1);
      const b = ld(td, i + 1) - xj;
      const u2n = i + 2 < n ? ld(te, i + 2) : 0;
      const p = Math.abs(a) < Math.abs(c); // swap rows i and i+1
      a = select<f64>(pivMin, a, !p && a === 0);
      const den = select<f64>(c, a, p);
      const f = select<f64>(a, c, p) / den;
      const y = select<f64>(b, u, p);
      const z = select<f64>(u, b, p);
      st(dd, i, den);
      st(dl, i, f);
      st(du, i, y);
      st(du2, i, select<f64>(u2n, 0, p));
      store<u8>(piv + <usize>i, <u8>p);
      a = z - f * y;
      u = select<f64>(-f * u2n, u2n, p);
    }
    st(dd, n - 1, a);
    for (let i = 0; i < n; i++) {
      const v0 = ld(dd, i);
      st(dd, i, 1 / (Math.abs(v0) < pivMin ? (v0 < 0 ? -pivMin : pivMin) : v0)); // reciprocal pivots
    }
    if (table) memory.copy(x, rand + ((<usize>(k * n)) << 3), nb);
    else
      for (let i = 0; i < n; i++) {
        seed = seed * 1664525 + 1013904223;
        st(x, i, <f64>seed / 2147483648 - 1);
      }
    for (let it = 0; it < 2; it++) {
      // solve (T − xj·I) y = x in place (branch-free forward substitution with the row swaps)
      let cur = ld(x, 0);
      for (let i = 0; i + 1 < n; i++) {
        const xn = ld(x, i + 1);
        const p = load<u8>(piv + <usize>i) !== 0;
        const xi = select<f64>(xn, cur, p);
        st(x, i, xi);
        cur = select<f64>(cur, xn, p) - ld(dl, i) * xi;
      }
      let xa = cur * ld(dd, n - 1);
      st(x, n - 1, xa);
      let xb: f64 = 0;
      if (n > 1) {
        xb = xa;
        xa = (ld(x, n - 2) - ld(du, n - 2) * xb) * ld(dd, n - 2);
        st(x, n - 2, xa);
      }
      for (let i = n - 3; i >= 0; i--) {
        const v = (ld(x, i) - ld(du, i) * xa - ld(du2, i) * xb) * ld(dd, i);
        st(x, i, v);
        xb = xa;
        xa = v;
      }
      for (let j = clusterStart; j < k; j++) {
        const zj = Z + ((<usize>(j * n)) << 3);
        const dt = dot(x, zj, n);
        axpy(-dt, zj, x, n);
      }
      if (it === 0 && clusterStart === k) {
        let mx: f64 = 0;
        for (let i = 0; i < n; i++) mx = Math.max(mx, Math.abs(ld(x, i)));
        if (mx >= SCALE_LO && mx <= SCALE_HI) continue;
      }
      if (!normalise(x, n)) return 1;
    }
    memory.copy(Z + ((<usize>(k * n)) << 3), x, nb);
    k++;
  }
  // Back-transform U = Z·H_1⋯H_{n−1}: row z ← z − (z·u) u/h over coordinates 0…i−1.
  const uh = x;
  for (let i = 1; i < n; i++) {
    const h = ld(hs, i);
    if (h === 0) continue;
    const u = v + ((<usize>(i * n)) << 3);
    const i2 = i & ~1;
    const vh = f64x2.splat(h);
    for (let k = 0; k < i2; k += 2) vst(uh, k, f64x2.div(vld(u, k), vh)); // lane-wise as u[k] / h
    if (i2 < i) st(uh, i2, ld(u, i2) / h);
    let j = 0;
    for (; j + 3 < n; j += 4) {
      const r0 = Z + ((<usize>(j * n)) << 3);
      const r1 = r0 + nb;
      const r2 = r1 + nb;
      const r3 = r2 + nb;
      let g0 = f64x2.splat(0);
      let g1 = f64x2.splat(0);
      let g2 = f64x2.splat(0);
      let g3 = f64x2.splat(0);
      for (let k = 0; k < i2; k += 2) {
        const uk = vld(u, k);
        g0 = vmadd(g0, uk, vld(r0, k));
        g1 = vmadd(g1, uk, vld(r1, k));
        g2 = vmadd(g2, uk, vld(r2, k));
        g3 = vmadd(g3, uk, vld(r3, k));
      }
      let s0 = hsum(g0);
      let s1 = hsum(g1);
      let s2 = hsum(g2);
      let s3 = hsum(g3);
      if (i2 < i) {
        const uk = ld(u, i2);
        s0 += uk * ld(r0, i2);
        s1 += uk * ld(r1, i2);
        s2 += uk * ld(r2, i2);
        s3 += uk * ld(r3, i2);
      }
      const v0 = f64x2.splat(s0);
      const v1 = f64x2.splat(s1);
      const v2 = f64x2.splat(s2);
      const v3 = f64x2.splat(s3);
      for (let k = 0; k < i2; k += 2) {
        const dk = vld(uh, k);
        vst(r0, k, f64x2.sub(vld(r0, k), f64x2.mul(v0, dk)));
        vst(r1, k, f64x2.sub(vld(r1, k), f64x2.mul(v1, dk)));
        vst(r2, k, f64x2.sub(vld(r2, k), f64x2.mul(v2, dk)));
        vst(r3, k, f64x2.sub(vld(r3, k), f64x2.mul(v3, dk)));
      }
      if (i2 < i) {
        const dk = ld(uh, i2);
        st(r0, i2, ld(r0, i2) - s0 * dk);
        st(r1, i2, ld(r1, i2) - s1 * dk);
        st(r2, i2, ld(r2, i2) - s2 * dk);
        st(r3, i2, ld(r3, i2) - s3 * dk);
      }
    }
    for (; j < n; j++) {
      const rj = Z + ((<usize>(j * n)) << 3);
      const g = dot(u, rj, i);
      axpy(-g, uh, rj, i);
    }
  }
  if (out !== Z) memory.copy(out, Z, (<usize>(n * n)) << 3);
  return 0;
}

/**
 * Tangent vector of `c` at the reference whose inverse square root is `p` (as kernels.ts
 * tangentVectorInto): upper triangle (row-major, diagonal included) of logm(P·C·P), off-diagonal
 * ×√2, into `out`. `ws` is wsBytes(n) of scratch. Returns 0, or 1 on breakdown (use the JS path).
 */
export function tangentVector(c: usize, p: usize, n: i32, out: usize, ws: usize): i32 {
  const nn = al((<usize>(n * n)) << 3);
  const vn = al((<usize>n) << 3);
  const tmp = ws;
  const mat = tmp + nn;
  const mat2 = mat + nn;
  const mat3 = mat2 + nn;
  const d = mat3 + nn;
  const e = d + vn;
  const td = e + vn;
  const te = td + vn;
  const hs = te + vn;
  const x = hs + vn;
  const lu = x + vn; // 4 vectors
  const piv = lu + 4 * vn;
  congruence(p, c, n, mat, tmp);
  const U = mat2; // the eigenvectors stay where the inverse iteration leaves them (no copy)
  if (symEigInvIt(mat, n, U, mat2, d, e, td, te, hs, x, lu, piv, piv + al(<usize>n)) !== 0) return 1;
  for (let k = 0; k < n; k++) st(d, k, log(ld(d, k)));
  // logm = Aᵀ·U with A[k][i] = log(λ_k) u_k[i] (rows of U scaled; no transposes), upper triangle
  const A = tmp;
  const n2 = n & ~1;
  for (let k = 0; k < n; k++) {
    const rk = k * n;
    const f = ld(d, k);
    const vf = f64x2.splat(f);
    for (let i = 0; i < n2; i += 2) vst(A, rk + i, f64x2.mul(vf, vld(U, rk + i)));
    if (n2 < n) st(A, rk + n2, f * ld(U, rk + n2));
  }
  const L = mat;
  atbUpper(A, U, n, n, L);
  let q = 0;
  for (let i = 0; i < n; i++) {
    st(out, q++, ld(L, i * n + i));
    for (let j = i + 1; j < n; j++) st(out, q++, Math.SQRT2 * ld(L, i * n + j));
  }
  return 0;
}

/** δ²(C, M) = Σ log² λ(P·C·P) with p = M^(-1/2) (as kernels.ts distanceSqWhitened); NaN on breakdown. */
export function distanceSqWhitened(c: usize, p: usize, n: i32, ws: usize): f64 {
  const nn = al((<usize>(n * n)) << 3);
  const vn = al((<usize>n) << 3);
  const tmp = ws;
  const mat = tmp + nn;
  const d = mat + 3 * nn;
  const e = d + vn;
  const hs = e + 3 * vn;
  congruence(p, c, n, mat, tmp);
  tred2(n, e, d, mat, hs, hs + vn);
  if (sterf(n, e, d) !== 0) return NaN;
  let s: f64 = 0;
  for (let i = 0; i < n; i++) {
    const l = log(ld(d, i));
    s += l * l;
  }
  return s;
}

// ---- Sliding windows from per-block sums (as ../streaming.ts; see the derivation there) ----------
// A stream's blocks live in this instance's memory: block b at blocks + b·stride holds
// G (n²), H (n²), m, c, w, v (n each) and the scalars α, τ, κ (see blockLayout).

function blockG(blk: usize): usize {
  return blk;
}
function blockH(blk: usize, n: i32): usize {
  return blk + al((<usize>(n * n)) << 3);
}
function blockVec(blk: usize, n: i32, k: i32): usize {
  return blk + 2 * al((<usize>(n * n)) << 3) + <usize>k * al((<usize>n) << 3);
}
/** Bytes per block (G, H, m, c, w, v, scalars). */
export function slideBlockBytes(n: i32): usize {
  return 2 * al((<usize>(n * n)) << 3) + 4 * al((<usize>n) << 3) + 32;
}

/** Block statistics of the channel-major n×B block x: m, y = x − m, a_t, α, w, G = y yᵀ, τ. */
export function slideBlock(x: usize, n: i32, B: i32, y: usize, a: usize, blk: usize): void {
  const m = blockVec(blk, n, 0);
  const w = blockVec(blk, n, 2);
  const sc = blockVec(blk, n, 4);
  memory.fill(a, 0, (<usize>B) << 3);
  for (let i = 0; i < n; i++) {
    const xr = x + ((<usize>(i * B)) << 3);
    const yr = y + ((<usize>(i * B)) << 3);
    let s: f64 = 0;
    for (let t = 0; t < B; t++) s += ld(xr, t);
    const mi = s / <f64>B;
    st(m, i, mi);
    for (let t = 0; t < B; t++) {
      const v = ld(xr, t) - mi;
      st(yr, t, v);
      st(a, t, ld(a, t) + v * v);
    }
  }
  let alpha: f64 = 0;
  for (let t = 0; t < B; t++) alpha += ld(a, t) * ld(a, t);
  for (let i = 0; i < n; i++) st(w, i, dot(a, y + ((<usize>(i * B)) << 3), B));
  const G = blockG(blk);
  abt(y, y, n, B, G, true);
  let tau: f64 = 0;
  for (let i = 0; i < n; i++) tau += ld(G, i * n + i);
  st(sc, 0, alpha);
  st(sc, 1, tau);
}

/** c = m − r, v = G c, κ = cᵀv, H = G + B c cᵀ (upper triangle); with updateS, S += H_new − H_old. */
export function slideRefer(blk: usize, n: i32, B: i32, r: usize, S: usize, updateS: bool): void {
  const G = blockG(blk);
  const H = blockH(blk, n);
  const m = blockVec(blk, n, 0);
  const c = blockVec(blk, n, 1);
  const v = blockVec(blk, n, 3);
  const sc = blockVec(blk, n, 4);
  for (let i = 0; i < n; i++) st(c, i, ld(m, i) - ld(r, i));
  let kappa: f64 = 0;
  for (let i = 0; i < n; i++) {
    const gr = G + ((<usize>(i * n)) << 3);
    const hr = H + ((<usize>(i * n)) << 3);
    const sr = S + ((<usize>(i * n)) << 3);
    const s = dot(gr, c, n);
    st(v, i, s);
    kappa += ld(c, i) * s;
    const bc = f64x2.splat(<f64>B * ld(c, i));
    let j = i;
    for (; j + 1 < n; j += 2) {
      const h = vmadd(vld(gr, j), bc, vld(c, j));
      if (updateS) vst(sr, j, f64x2.add(vld(sr, j), f64x2.sub(h, vld(hr, j))));
      vst(hr, j, h);
    }
    if (j < n) {
      const h = ld(gr, j) + <f64>B * ld(c, i) * ld(c, j);
      if (updateS) st(sr, j, ld(sr, j) + (h - ld(hr, j)));
      st(hr, j, h);
    }
  }
  st(sc, 2, kappa);
}

/** S = Σ H over blocks 0…count−1 (upper triangle). */
export function slideResum(blocks: usize, stride: usize, count: i32, n: i32, S: usize): void {
  memory.fill(S, 0, (<usize>(n * n)) << 3);
  for (let b = 0; b < count; b++) {
    const H = blockH(blocks + <usize>b * stride, n);
    for (let i = 0; i < n; i++) {
      const hr = H + ((<usize>(i * n)) << 3);
      const sr = S + ((<usize>(i * n)) << 3);
      let j = i;
      for (; j + 1 < n; j += 2) vst(sr, j, f64x2.add(vld(sr, j), vld(hr, j)));
      if (j < n) st(sr, j, ld(sr, j) + ld(hr, j));
    }
  }
}

/**
 * Window mean offset m' = mean of the K blocks' c into mp; returns 1 if |m'|² exceeds the window's
 * total variance (the caller then re-bases r and re-derives the blocks), else 0.
 */
export function slideMean(blocks: usize, stride: usize, K: i32, B: i32, n: i32, S: usize, mp: usize): i32 {
  memory.fill(mp, 0, (<usize>n) << 3);
  for (let b = 0; b < K; b++) {
    const c = blockVec(blocks + <usize>b * stride, n, 1);
    for (let i = 0; i < n; i++) st(mp, i, ld(mp, i) + ld(c, i));
  }
  let mm: f64 = 0;
  let tr: f64 = 0;
  for (let i = 0; i < n; i++) {
    const v = ld(mp, i) / <f64>K;
    st(mp, i, v);
    mm += v * v;
    tr += ld(S, i * n + i);
  }
  tr = tr / <f64>(K * B) - mm;
  return mm <= tr ? 0 : 1;
}

/** Ledoit-Wolf covariance of the window (K blocks, m' in mp) into cov (n×n, full). */
export function slideWindow(blocks: usize, stride: usize, K: i32, B: i32, n: i32, S: usize, mp: usize, cov: usize): void {
  const T = <f64>(K * B);
  let mSm: f64 = 0;
  let traceSum: f64 = 0;
  let delta_: f64 = 0;
  for (let i = 0; i < n; i++) {
    const sr = S + ((<usize>(i * n)) << 3);
    const cr = cov + ((<usize>(i * n)) << 3);
    const mi = ld(mp, i);
    const tm = T * mi;
    const sii = ld(sr, i);
    const cii = (sii - tm * mi) / T;
    st(cr, i, cii);
    traceSum += cii;
    delta_ += cii * cii;
    mSm += mi * sii * mi;
    const vtm = f64x2.splat(tm);
    const vT = f64x2.splat(T);
    let so = f64x2.splat(0);
    let dO = f64x2.splat(0);
    let j = i + 1;
    for (; j + 1 < n; j += 2) {
      const sij = vld(sr, j);
      const mj = vld(mp, j);
      const cij = f64x2.div(f64x2.sub(sij, f64x2.mul(vtm, mj)), vT);
      vst(cr, j, cij);
      dO = vmadd(dO, cij, cij);
      so = vmadd(so, sij, mj);
    }
    let sOff = hsum(so);
    let dOff = hsum(dO);
    if (j < n) {
      const sij = ld(sr, j);
      const cij = (sij - tm * ld(mp, j)) / T;
      st(cr, j, cij);
      dOff += cij * cij;
      sOff += sij * ld(mp, j);
    }
    delta_ += 2 * dOff;
    mSm += 2 * mi * sOff;
  }
  let quad = mSm;
  let beta_: f64 = 0;
  const fB = <f64>B;
  for (let b = 0; b < K; b++) {
    const blk = blocks + <usize>b * stride;
    const c = blockVec(blk, n, 1);
    const w = blockVec(blk, n, 2);
    const v = blockVec(blk, n, 3);
    const sc = blockVec(blk, n, 4);
    let cm: f64 = 0;
    let mv: f64 = 0;
    let dd: f64 = 0;
    let dw: f64 = 0;
    for (let i = 0; i < n; i++) {
      const ci = ld(c, i);
      const mi = ld(mp, i);
      const d = ci - mi;
      cm += ci * mi;
      mv += mi * ld(v, i);
      dd += d * d;
      dw += d * ld(w, i);
    }
    quad += ld(sc, 2) - 2 * mv - fB * cm * cm;
    beta_ += ld(sc, 0) + fB * dd * dd + 4 * dw + 2 * dd * ld(sc, 1);
  }
  beta_ += 4 * quad;
  if (n === 1) return;
  const fn = <f64>n;
  const mu = traceSum / fn;
  let beta = (1 / (fn * T)) * (beta_ / T - delta_);
  const delta = (delta_ - 2 * mu * traceSum + fn * mu * mu) / fn;
  beta = Math.min(beta, delta);
  const s = beta === 0 ? 0 : beta / delta;
  const f = 1 - s;
  for (let i = 0; i < n; i++) {
    const o = i * n;
    st(cov, o + i, ld(cov, o + i) * f + s * mu);
    for (let j = i + 1; j < n; j++) {
      const x = ld(cov, o + j) * f;
      st(cov, o + j, x);
      st(cov, j * n + i, x);
    }
  }
}
