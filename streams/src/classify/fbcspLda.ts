// Filter-bank CSP + univariate selection + shrinkage LDA (Ang et al. 2008 style FBCSP).
// Selection is either ANOVA F (top kBest, default 8; CSP filters ordered as MNE's, by |λ − 0.5|) or
// the paper's MIBIF: paired CSP (the m = nComponents/2 largest and m smallest eigenvalues per band),
// Parzen mutual information of each log-variance feature with the class, the kBest (default 4, as
// Ang et al. 2012) best, each completed with its paired filter (the other end of the same band's
// eigenvalue spectrum).
// Input epochs are WIDE-BAND windows that include a margin on each side; the classifier band-passes
// them itself (zero-phase, per band) and crops the margin, so filter edge transients fall outside
// the analysed window. Because temporal filtering and spatial filtering are both linear and act on
// different axes, inference applies the selected CSP filters first and temporal-filters only those
// few virtual channels (8 instead of 64 × 5).
import type { MiArtifact } from './artifact';
import { BaseClassifier } from './base';
import { crossProducts } from './covariance';
import { cspFeatures, CspState, fitCsp, restCovariance } from './csp';
import { anovaF, selectKBest, selectMibif } from './featureSelection';
import { fitShrinkageLda, ldaProba, LdaState } from './lda';
import { generalizedSymEig } from './linalg';
import type { Epoch, RecordingMeta } from './types';
import { butterSos, sosfiltfilt, Sos } from '../filters';

export const FBCSP_DEFAULT_BANDS: [number, number][] = [
  [8, 12],
  [12, 16],
  [16, 20],
  [20, 24],
  [24, 30],
];

export type FbcspSelection = 'anova' | 'mibif';

/** Selection method from options or artefact params; absent (and the old 'anova-f') = 'anova'. */
export function fbcspSelection(v: unknown): FbcspSelection {
  if (v === undefined || v === null || v === 'anova' || v === 'anova-f') return 'anova';
  if (v === 'mibif') return 'mibif';
  throw new Error(`unknown FBCSP selection ${String(v)} (anova | mibif)`);
}

export interface FbcspLdaOptions {
  fsHz?: number;
  bands?: [number, number][];
  order?: number;
  /** Seconds of extra signal on each side of the analysed window in every input epoch. */
  marginS?: number;
  /** CSP filters per band (per one-vs-rest problem for > 2 classes); even for 'mibif'. */
  nComponents?: number;
  /** Features chosen by the score: default 8 for 'anova', 4 for 'mibif' (before adding pairs). */
  kBest?: number;
  /** Feature selection: ANOVA F (default, also for artefacts that predate the option) or MIBIF. */
  selection?: FbcspSelection | 'anova-f';
  meta?: RecordingMeta;
}

/**
 * CSP with explicit pairs, as FBCSP (Ang et al.): per problem eigh(C_a, C_a + C_b), eigenvalues
 * descending, keep the first m and last m eigenvectors. Within each block of 2m filters, filter i
 * pairs with 2m − 1 − i (largest with smallest, ...). Two classes: one block; more: one-vs-rest
 * blocks (rest = trial-weighted mean covariance of the other classes). Class covariance is the
 * 'concat' estimator of csp.ts (epochs concatenated, not centred).
 */
export function fitPairedCsp(epochs: readonly Epoch[], y: readonly number[], nClasses: number, m: number): CspState & { pairOf: number[] } {
  const n = epochs[0].nChannels;
  if (!(Number.isInteger(m) && m >= 1 && 2 * m <= n)) throw new Error(`paired CSP: need 1 ≤ m ≤ ${n / 2}, got ${m}`);
  const covs: Float64Array[] = [];
  const counts: number[] = [];
  for (let k = 0; k < nClasses; k++) {
    const acc = new Float64Array(n * n);
    let total = 0;
    let cnt = 0;
    epochs.forEach((e, i) => {
      if (y[i] !== k) return;
      crossProducts(e, false, acc);
      total += e.nSamples;
      cnt++;
    });
    if (cnt === 0) throw new Error(`paired CSP: class ${k} has no epochs`);
    for (let i = 0; i < acc.length; i++) acc[i] /= total;
    covs.push(acc);
    counts.push(cnt);
  }
  const problems: [Float64Array, Float64Array][] = [];
  if (nClasses === 2) problems.push([covs[0], covs[1]]);
  else for (let k = 0; k < nClasses; k++) problems.push([covs[k], restCovariance(covs, counts, k)]);
  const filters: number[][] = [];
  const pairOf: number[] = [];
  for (const [a, b] of problems) {
    const sum = new Float64Array(n * n);
    for (let i = 0; i < sum.length; i++) sum[i] = a[i] + b[i];
    const eig = generalizedSymEig(a, sum, n);
    const order = Array.from({ length: n }, (_, i) => i).sort((p, q) => eig.values[q] - eig.values[p] || p - q);
    const keep = [...order.slice(0, m), ...order.slice(n - m)];
    const base = filters.length;
    keep.forEach((idx, i) => {
      filters.push(Array.from(eig.vectors.subarray(idx * n, idx * n + n)));
      pairOf.push(base + 2 * m - 1 - i);
    });
  }
  return { nChannels: n, filters, pairOf };
}

export interface FbcspLdaState {
  nChannels: number;
  /** Selected features: band index and spatial filter (nChannels weights). */
  selected: { band: number; filter: number[] }[];
  lda: LdaState;
}

const bandCache = new WeakMap<Float64Array, Map<string, Epoch>>();

export class FbcspLda extends BaseClassifier<FbcspLdaState> {
  readonly pipeline = 'fbcsp-lda';
  readonly fsHz: number;
  readonly bands: [number, number][];
  readonly order: number;
  readonly marginS: number;
  readonly nComponents: number;
  readonly kBest: number;
  readonly selection: FbcspSelection;
  private readonly sos: Sos[];

  constructor(opts: FbcspLdaOptions = {}) {
    super(opts.meta ? { ...opts.meta, bands: opts.bands ?? FBCSP_DEFAULT_BANDS } : undefined);
    this.fsHz = opts.fsHz ?? opts.meta?.fsHz ?? 160;
    this.bands = opts.bands ?? FBCSP_DEFAULT_BANDS;
    this.order = opts.order ?? 4;
    this.marginS = opts.marginS ?? 0.5;
    this.nComponents = opts.nComponents ?? 4;
    this.selection = fbcspSelection(opts.selection);
    this.kBest = opts.kBest ?? (this.selection === 'mibif' ? 4 : 8);
    if (this.selection === 'mibif' && this.nComponents % 2 !== 0)
      throw new Error(`FBCSP with MIBIF needs an even nComponents (filter pairs), got ${this.nComponents}`);
    this.sos = this.bands.map((b) => butterSos(this.order, b, 'bandpass', this.fsHz));
  }

  private get margin(): number {
    return Math.round(this.marginS * this.fsHz);
  }

  /** Band-pass every channel of a wide-band epoch and crop the margins (memoised for training). */
  bandEpoch(e: Epoch, band: number): Epoch {
    const key = `${band}|${this.bands[band].join('-')}|${this.order}|${this.fsHz}|${this.margin}`;
    let m = bandCache.get(e.data);
    const hit = m?.get(key);
    if (hit) return hit;
    const { nChannels: n, nSamples: T } = e;
    const M = this.margin;
    const L = T - 2 * M;
    if (L <= 0) throw new Error(`FBCSP epoch of ${T} samples is shorter than twice the ${M}-sample margin`);
    const out = new Float64Array(n * L);
    for (let c = 0; c < n; c++) {
      const y = sosfiltfilt(this.sos[band], e.data.subarray(c * T, (c + 1) * T));
      out.set(y.subarray(M, M + L), c * L);
    }
    const be = { data: out, nChannels: n, nSamples: L };
    if (!m) {
      m = new Map();
      bandCache.set(e.data, m);
    }
    m.set(key, be);
    return be;
  }

  protected fitState(epochs: readonly Epoch[], y: number[]): FbcspLdaState {
    const K = this.classes.length;
    const csps: CspState[] = [];
    const feats: Float64Array[] = epochs.map(() => new Float64Array(0));
    const where: { band: number; filter: number[] }[] = [];
    const pairOf: number[] = [];
    this.bands.forEach((_, b) => {
      const be = epochs.map((e) => this.bandEpoch(e, b));
      let csp: CspState;
      if (this.selection === 'mibif') {
        const paired = fitPairedCsp(be, y, K, this.nComponents / 2);
        const offset = where.length;
        for (const p of paired.pairOf) pairOf.push(offset + p);
        csp = paired;
      } else csp = fitCsp(be, y, K, { nComponents: this.nComponents });
      csps.push(csp);
      be.forEach((e, i) => {
        const f = cspFeatures(csp, e);
        const merged = new Float64Array(feats[i].length + f.length);
        merged.set(feats[i]);
        merged.set(f, feats[i].length);
        feats[i] = merged;
      });
      for (const filter of csp.filters) where.push({ band: b, filter });
    });
    // Selection inside fit() — hence inside each training fold when cross-validated.
    const keep = this.selection === 'mibif' ? selectMibif(feats, y, K, this.kBest, pairOf) : selectKBest(anovaF(feats, y, K), this.kBest);
    const X = feats.map((f) => Float64Array.from(keep, (j) => f[j]));
    return { nChannels: epochs[0].nChannels, selected: keep.map((j) => where[j]), lda: fitShrinkageLda(X, y, K) };
  }

  features(s: FbcspLdaState, e: Epoch): Float64Array {
    const { nChannels: n, nSamples: T, data } = e;
    if (n !== s.nChannels) throw new Error(`FBCSP expects ${s.nChannels} channels, got ${n}`);
    const M = this.margin;
    const L = T - 2 * M;
    const out = new Float64Array(s.selected.length);
    const v = new Float64Array(T);
    s.selected.forEach((sel, i) => {
      v.fill(0);
      for (let c = 0; c < n; c++) {
        const w = sel.filter[c];
        const o = c * T;
        for (let t = 0; t < T; t++) v[t] += w * data[o + t];
      }
      const y = sosfiltfilt(this.sos[sel.band], v);
      let p = 0;
      for (let t = M; t < M + L; t++) p += y[t] * y[t];
      out[i] = Math.log(p / L);
    });
    return out;
  }

  protected probaFromState(s: FbcspLdaState, epoch: Epoch): Float64Array {
    return ldaProba(s.lda, this.features(s, epoch));
  }

  protected params(): Record<string, unknown> {
    return {
      fsHz: this.fsHz,
      bands: this.bands,
      order: this.order,
      marginS: this.marginS,
      nComponents: this.nComponents,
      kBest: this.kBest,
      selection: this.selection,
    };
  }

  static fromArtifact(a: MiArtifact<FbcspLdaState>): FbcspLda {
    const p = a.params as Required<Omit<FbcspLdaOptions, 'meta'>>;
    return new FbcspLda(p).loadArtifact(a);
  }
}
