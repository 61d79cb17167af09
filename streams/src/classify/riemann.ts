// Affine-invariant Riemannian geometry of SPD matrices (as pyriemann's mean_riemann, distance_riemann,
// tangent_space). Matrices are flat row-major n×n Float64Arrays.
import { congruence, fromEig, symEig } from './linalg';

/**
 * Riemannian (Karcher) mean by pyriemann's gradient descent with adaptive step:
 * start from the arithmetic mean, C ← C½ expm(ν J) C½ with J = Σ wᵢ logm(C⁻½ Cᵢ C⁻½).
 */
export function meanRiemann(
  covs: readonly Float64Array[],
  n: number,
  opts: { tol?: number; maxIter?: number; weights?: readonly number[]; init?: Float64Array } = {},
): Float64Array {
  const tol = opts.tol ?? 1e-8;
  const maxIter = opts.maxIter ?? 50;
  const N = covs.length;
  const wsum = opts.weights ? opts.weights.reduce((a, b) => a + b, 0) : N;
  const w = opts.weights ? opts.weights.map((x) => x / wsum) : new Array<number>(N).fill(1 / N);
  let C: Float64Array;
  if (opts.init) C = new Float64Array(opts.init);
  else {
    C = new Float64Array(n * n);
    covs.forEach((c, i) => {
      for (let j = 0; j < c.length; j++) C[j] += w[i] * c[j];
    });
  }
  let nu = 1;
  let tau = Number.MAX_VALUE;
  let crit = Number.MAX_VALUE;
  for (let k = 0; k < maxIter && crit > tol && nu > tol; k++) {
    const e = symEig(C, n);
    const C12 = fromEig(e, Math.sqrt);
    const Cm12 = fromEig(e, (x) => 1 / Math.sqrt(x));
    const J = new Float64Array(n * n);
    for (let i = 0; i < N; i++) {
      const L = fromEig(symEig(congruence(Cm12, covs[i], n), n), Math.log);
      for (let j = 0; j < J.length; j++) J[j] += w[i] * L[j];
    }
    let fro = 0;
    for (let j = 0; j < J.length; j++) fro += J[j] * J[j];
    crit = Math.sqrt(fro);
    const E = fromEig(
      symEig(J, n),
      ((s) => (x: number) => Math.exp(s * x))(nu),
    );
    C = congruence(C12, E, n);
    const h = nu * crit;
    if (h < tau) {
      nu *= 0.95;
      tau = h;
    } else nu *= 0.5;
  }
  return C;
}

/** δ(A, B) = ‖logm(B⁻½ A B⁻½)‖_F, given B⁻½ precomputed. */
export function distanceRiemannWhitened(a: Float64Array, bInvSqrt: Float64Array, n: number): number {
  const vals = symEig(congruence(bInvSqrt, a, n), n).values;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const l = Math.log(vals[i]);
    s += l * l;
  }
  return Math.sqrt(s);
}

/** Number of tangent-space coordinates for n channels: n(n+1)/2. */
export const tangentDim = (n: number): number => (n * (n + 1)) / 2;

/**
 * Tangent vector at the reference: upper triangle (row-major, diagonal included) of
 * logm(P⁻½ C P⁻½), off-diagonal entries ×√2 so the Euclidean norm equals the Riemannian one.
 */
export function tangentVector(c: Float64Array, refInvSqrt: Float64Array, n: number, out?: Float64Array): Float64Array {
  const L = fromEig(symEig(congruence(refInvSqrt, c, n), n), Math.log);
  const v = out ?? new Float64Array(tangentDim(n));
  let p = 0;
  for (let i = 0; i < n; i++) {
    v[p++] = L[i * n + i];
    for (let j = i + 1; j < n; j++) v[p++] = Math.SQRT2 * L[i * n + j];
  }
  return v;
}
