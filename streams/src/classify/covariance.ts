// Covariance estimators for single epochs and for feature matrices.
import type { Epoch } from './types';

/**
 * Cross-product matrix Σ_t x_c(t) x_d(t) of an epoch, optionally after removing each channel's mean.
 * Returned unnormalised (divide by nSamples for the empirical covariance).
 */
export function crossProducts(epoch: Epoch, center: boolean, out?: Float64Array): Float64Array {
  const { data, nChannels: n, nSamples: T } = epoch;
  const c = out ?? new Float64Array(n * n);
  let x = data;
  if (center) {
    x = new Float64Array(data);
    for (let i = 0; i < n; i++) {
      let m = 0;
      const o = i * T;
      for (let t = 0; t < T; t++) m += x[o + t];
      m /= T;
      for (let t = 0; t < T; t++) x[o + t] -= m;
    }
  }
  for (let i = 0; i < n; i++) {
    const oi = i * T;
    for (let j = i; j < n; j++) {
      const oj = j * T;
      let s0 = 0,
        s1 = 0,
        s2 = 0,
        s3 = 0;
      let t = 0;
      // 4 accumulators: lets V8 pipeline the multiply-adds (covariance is the inference hot spot)
      for (; t + 3 < T; t += 4) {
        s0 += x[oi + t] * x[oj + t];
        s1 += x[oi + t + 1] * x[oj + t + 1];
        s2 += x[oi + t + 2] * x[oj + t + 2];
        s3 += x[oi + t + 3] * x[oj + t + 3];
      }
      for (; t < T; t++) s0 += x[oi + t] * x[oj + t];
      const s = s0 + s1 + s2 + s3;
      c[i * n + j] += s;
      if (i !== j) c[j * n + i] += s;
    }
  }
  return c;
}

/** Empirical covariance (1/T normalisation, as numpy/sklearn's empirical_covariance). */
export function sampleCovariance(epoch: Epoch, center = true): Float64Array {
  const c = crossProducts(epoch, center);
  const T = epoch.nSamples;
  for (let i = 0; i < c.length; i++) c[i] /= T;
  return c;
}

/**
 * Ledoit-Wolf shrinkage coefficient, transcribed from sklearn.covariance.ledoit_wolf_shrinkage
 * (single block). `x` holds T samples of n features in the epoch's channel-major layout
 * (x[f*T + t]) and must already be centred if assume_centered=False semantics are wanted.
 * `cov` is the matching 1/T empirical covariance.
 */
export function ledoitWolfShrinkageFrom(x: Float64Array, n: number, T: number, cov: Float64Array): number {
  if (n === 1) return 0;
  // emp_cov_trace[i] = Σ_t x²/T = cov[i][i]; mu = mean of those
  let traceSum = 0;
  for (let i = 0; i < n; i++) traceSum += cov[i * n + i];
  const mu = traceSum / n;
  // delta_ = Σ (XᵀX)² / T² = Σ cov²
  let delta_ = 0;
  for (let i = 0; i < n * n; i++) delta_ += cov[i] * cov[i];
  // beta_ = Σ (X2ᵀ X2) = Σ_t (Σ_i x_ti²)²
  let beta_ = 0;
  for (let t = 0; t < T; t++) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i * T + t];
      s += v * v;
    }
    beta_ += s * s;
  }
  let beta = (1 / (n * T)) * (beta_ / T - delta_);
  let delta = delta_ - 2 * mu * traceSum + n * mu * mu;
  delta /= n;
  beta = Math.min(beta, delta);
  return beta === 0 ? 0 : beta / delta;
}

function center(epoch: Epoch): Float64Array {
  const { data, nChannels: n, nSamples: T } = epoch;
  const x = new Float64Array(data);
  for (let i = 0; i < n; i++) {
    let m = 0;
    const o = i * T;
    for (let t = 0; t < T; t++) m += x[o + t];
    m /= T;
    for (let t = 0; t < T; t++) x[o + t] -= m;
  }
  return x;
}

/**
 * Ledoit-Wolf shrunk covariance of one epoch, exactly as sklearn.covariance.ledoit_wolf(X.T)
 * with assume_centered=False (pyriemann's Covariances(estimator='lwf')):
 * (1-s)·S + s·(tr S / n)·I.
 */
export function ledoitWolf(epoch: Epoch, assumeCentered = false): { covariance: Float64Array; shrinkage: number } {
  const { nChannels: n, nSamples: T } = epoch;
  const x = assumeCentered ? epoch.data : center(epoch);
  const cov = crossProducts({ data: x, nChannels: n, nSamples: T }, false);
  for (let i = 0; i < cov.length; i++) cov[i] /= T;
  const s = ledoitWolfShrinkageFrom(x, n, T, cov);
  let tr = 0;
  for (let i = 0; i < n; i++) tr += cov[i * n + i];
  const mu = tr / n;
  for (let i = 0; i < cov.length; i++) cov[i] *= 1 - s;
  for (let i = 0; i < n; i++) cov[i * n + i] += s * mu;
  return { covariance: cov, shrinkage: s };
}

/**
 * Ledoit-Wolf on a sample-major feature matrix (rows = samples, as sklearn's X), used by the LDA.
 * Returns the shrunk covariance (n_features × n_features).
 */
export function ledoitWolfFeatures(rows: readonly Float64Array[], assumeCentered = false): { covariance: Float64Array; shrinkage: number } {
  const T = rows.length;
  const n = rows[0].length;
  const x = new Float64Array(n * T); // feature-major, like an epoch
  for (let t = 0; t < T; t++) for (let i = 0; i < n; i++) x[i * T + t] = rows[t][i];
  return ledoitWolf({ data: x, nChannels: n, nSamples: T }, assumeCentered);
}
