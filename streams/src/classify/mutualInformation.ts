// Mutual information between one continuous feature and a discrete class label, estimated with
// Parzen (Gaussian kernel) class-conditional densities — the estimator of the Mutual
// Information-based Best Individual Feature (MIBIF) selection in FBCSP (Ang et al. 2008, IJCNN;
// Ang et al. 2012, Front. Neurosci. 6:39):
//
//   I(f; ω) = H(ω) − H(ω | f)
//   H(ω)     = −Σ_ω P(ω) ln P(ω),                         P(ω) = n_ω / n
//   H(ω | f) = −(1/n) Σ_i Σ_ω P(ω | f_i) ln P(ω | f_i)    (average over the n training trials)
//   P(ω | f_i) = p̂(f_i | ω) P(ω) / Σ_ω' p̂(f_i | ω') P(ω')
//   p̂(f_i | ω) = (1/n_ω) Σ_{k ∈ ω} φ(f_i − f_k, h),      φ = Gaussian kernel of width h
//   h = (4 / 3n)^{1/5} σ                                  (normal-reference rule, σ = sample std of f)
//
// Natural logarithms (nats): for two balanced classes the maximum, H(ω), is ln 2.

/** Normal-reference (Silverman) bandwidth (4 / 3n)^{1/5} σ of a sample, σ with ddof = 1. */
export function parzenBandwidth(x: ArrayLike<number>): number {
  const n = x.length;
  if (n < 2) return 0;
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i];
  m /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i] - m) ** 2;
  return Math.pow(4 / (3 * n), 0.2) * Math.sqrt(ss / (n - 1));
}

/** Entropy of the empirical class distribution, in nats. */
export function labelEntropy(y: readonly number[], nClasses: number): number {
  const cnt = new Float64Array(nClasses);
  for (const k of y) cnt[k]++;
  let h = 0;
  for (const c of cnt) if (c > 0) h -= (c / y.length) * Math.log(c / y.length);
  return h;
}

/**
 * Parzen estimate of I(x; y) in nats (y = class indices 0..nClasses−1). `h` defaults to
 * parzenBandwidth(x). A constant feature (h = 0) carries no information: 0.
 */
export function parzenMutualInformation(x: ArrayLike<number>, y: readonly number[], nClasses: number, h?: number): number {
  const n = x.length;
  if (y.length !== n) throw new Error(`MI: ${n} feature values but ${y.length} labels`);
  if (n === 0) return 0;
  const bw = h ?? parzenBandwidth(x);
  if (!(bw > 0) || !Number.isFinite(bw)) return 0;
  const cnt = new Float64Array(nClasses);
  for (const k of y) {
    if (!(k >= 0 && k < nClasses && Number.isInteger(k))) throw new Error(`MI: label ${k} outside 0..${nClasses - 1}`);
    cnt[k]++;
  }
  const hY = labelEntropy(y, nClasses);
  const inv2h2 = 1 / (2 * bw * bw);
  const dens = new Float64Array(nClasses);
  let hYgX = 0;
  for (let i = 0; i < n; i++) {
    dens.fill(0);
    const xi = x[i];
    for (let k = 0; k < n; k++) {
      const d = xi - x[k];
      dens[y[k]] += Math.exp(-d * d * inv2h2);
    }
    // p̂(f_i|ω) P(ω) = (S_ω / n_ω)(n_ω / n) ∝ S_ω: the kernel's normaliser, 1/n_ω and P(ω) cancel in
    // the posterior. S_{y_i} ≥ 1 (the trial's own kernel), so the sum is never 0.
    let z = 0;
    for (let w = 0; w < nClasses; w++) z += dens[w];
    for (let w = 0; w < nClasses; w++) {
      const p = dens[w] / z;
      if (p > 0) hYgX -= p * Math.log(p);
    }
  }
  hYgX /= n;
  return Math.max(0, hY - hYgX);
}

/** MI of every feature column of X (rows = trials) with the label. */
export function mutualInformationScores(X: readonly Float64Array[], y: readonly number[], nClasses: number): Float64Array {
  const d = X.length ? X[0].length : 0;
  const out = new Float64Array(d);
  const col = new Float64Array(X.length);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < X.length; i++) col[i] = X[i][j];
    out[j] = parzenMutualInformation(col, y, nClasses);
  }
  return out;
}
