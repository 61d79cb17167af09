// Common Spatial Patterns, following MNE's mne.decoding.CSP (cov_est='concat', log-variance features).
import { crossProducts } from './covariance';
import { generalizedSymEig } from './linalg';
import type { Epoch } from './types';

export interface CspOptions {
  /** Filters kept (per one-vs-rest problem when there are more than two classes). */
  nComponents: number;
  /** Shrink each class covariance towards (tr/n)·I by this fraction (0 = MNE's reg=None). */
  reg?: number;
  /** Divide each class covariance by its trace (MNE norm_trace). */
  normTrace?: boolean;
}

export interface CspState {
  nChannels: number;
  /** nFilters × nChannels, row-major. */
  filters: number[][];
}

/**
 * Class covariance as MNE's 'concat' estimator: epochs of one class concatenated in time,
 * empirical covariance with assume_centered=True (MNE's default for band-passed data).
 */
function classCovariance(epochs: readonly Epoch[]): Float64Array {
  const n = epochs[0].nChannels;
  const acc = new Float64Array(n * n);
  let total = 0;
  for (const e of epochs) {
    crossProducts(e, false, acc);
    total += e.nSamples;
  }
  for (let i = 0; i < acc.length; i++) acc[i] /= total;
  return acc;
}

function regularise(c: Float64Array, n: number, reg: number, normTrace: boolean): Float64Array {
  let tr = 0;
  for (let i = 0; i < n; i++) tr += c[i * n + i];
  const out = new Float64Array(c);
  if (normTrace) for (let i = 0; i < out.length; i++) out[i] /= tr;
  if (reg > 0) {
    const mu = (normTrace ? 1 : tr) / n;
    for (let i = 0; i < out.length; i++) out[i] *= 1 - reg;
    for (let i = 0; i < n; i++) out[i * n + i] += reg * mu;
  }
  return out;
}

/**
 * Filters for "target vs rest": eigh(C_target, C_target + C_rest), components sorted by
 * |λ − 0.5| descending — MNE's 2-class ordering (component_order='mutual_info'), which takes the
 * most discriminative filters from both ends of the spectrum.
 */
function pairFilters(cA: Float64Array, cB: Float64Array, n: number, k: number): number[][] {
  const sum = new Float64Array(n * n);
  for (let i = 0; i < sum.length; i++) sum[i] = cA[i] + cB[i];
  const eig = generalizedSymEig(cA, sum, n);
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => Math.abs(eig.values[b] - 0.5) - Math.abs(eig.values[a] - 0.5),
  );
  return order.slice(0, k).map((idx) => Array.from(eig.vectors.subarray(idx * n, idx * n + n)));
}

/** y holds class indices 0..nClasses-1; binary → one problem, otherwise one-vs-rest per class. */
export function fitCsp(epochs: readonly Epoch[], y: readonly number[], nClasses: number, opts: CspOptions): CspState {
  const n = epochs[0].nChannels;
  const reg = opts.reg ?? 0;
  const normTrace = opts.normTrace ?? false;
  const covs: Float64Array[] = [];
  const counts: number[] = [];
  for (let k = 0; k < nClasses; k++) {
    const ek = epochs.filter((_, i) => y[i] === k);
    if (ek.length === 0) throw new Error(`CSP: class ${k} has no epochs`);
    counts.push(ek.length);
    covs.push(regularise(classCovariance(ek), n, reg, normTrace));
  }
  if (nClasses === 2) return { nChannels: n, filters: pairFilters(covs[0], covs[1], n, opts.nComponents) };
  const filters: number[][] = [];
  for (let k = 0; k < nClasses; k++) filters.push(...pairFilters(covs[k], restCovariance(covs, counts, k), n, opts.nComponents));
  return { nChannels: n, filters };
}

/** One-vs-rest CSP's "rest" for class k: the trial-weighted mean of the other classes' covariances. */
export function restCovariance(covs: readonly Float64Array[], counts: readonly number[], k: number): Float64Array {
  const rest = new Float64Array(covs[k].length);
  let w = 0;
  for (let j = 0; j < covs.length; j++) {
    if (j === k) continue;
    for (let i = 0; i < rest.length; i++) rest[i] += counts[j] * covs[j][i];
    w += counts[j];
  }
  for (let i = 0; i < rest.length; i++) rest[i] /= w;
  return rest;
}

/** Log of the mean power of each spatially filtered signal (MNE transform with log=True). */
export function cspFeatures(state: CspState, epoch: Epoch): Float64Array {
  const { data, nChannels: n, nSamples: T } = epoch;
  if (n !== state.nChannels) throw new Error(`CSP expects ${state.nChannels} channels, got ${n}`);
  const m = state.filters.length;
  const out = new Float64Array(m);
  const y = new Float64Array(T);
  const rows = Array.from({ length: n }, (_, c) => data.subarray(c * T, (c + 1) * T));
  const all = identity(n);
  for (let f = 0; f < m; f++) {
    spatialFilterInto(state.filters[f], rows, all, 0, T, y, 0);
    let p = 0;
    for (let t = 0; t < T; t++) p += y[t] * y[t];
    out[f] = Math.log(p / T);
  }
  return out;
}

const identities = new Map<number, number[]>();
function identity(n: number): number[] {
  let a = identities.get(n);
  if (!a) identities.set(n, (a = Array.from({ length: n }, (_, i) => i)));
  return a;
}

/**
 * y[i] = Σ_c w[c] · x[c][i] for samples i in [from, to), where `x[c]` is channel `channelIdx[c]`
 * of `signal`. Four channels per pass over the samples: one load and store of y per four
 * multiply-adds (one channel per pass was bound by y's loads and stores, ~3× slower on 64 × 320
 * windows). cspFeatures and the live processor's per-sample path both use it, so their features
 * agree to the last bit.
 */
export function spatialFilterInto(
  w: readonly number[],
  signal: readonly Float64Array[],
  channelIdx: readonly number[],
  from: number,
  to: number,
  y: Float64Array,
  yOffset: number,
): void {
  const n = channelIdx.length;
  const n4 = n - (n % 4);
  const len = to - from;
  y.fill(0, yOffset, yOffset + len);
  for (let c = 0; c < n4; c += 4) {
    const w0 = w[c];
    const w1 = w[c + 1];
    const w2 = w[c + 2];
    const w3 = w[c + 3];
    const x0 = signal[channelIdx[c]];
    const x1 = signal[channelIdx[c + 1]];
    const x2 = signal[channelIdx[c + 2]];
    const x3 = signal[channelIdx[c + 3]];
    for (let i = from, k = yOffset; i < to; i++, k++) y[k] += w0 * x0[i] + w1 * x1[i] + w2 * x2[i] + w3 * x3[i];
  }
  for (let c = n4; c < n; c++) {
    const wc = w[c];
    const x = signal[channelIdx[c]];
    for (let i = from, k = yOffset; i < to; i++, k++) y[k] += wc * x[i];
  }
}
