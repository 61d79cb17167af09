// Filter-bank CSP + univariate selection + shrinkage LDA (Ang et al. 2008 style FBCSP).
// Input epochs are WIDE-BAND windows that include a margin on each side; the classifier band-passes
// them itself (zero-phase, per band) and crops the margin, so filter edge transients fall outside
// the analysed window. Because temporal filtering and spatial filtering are both linear and act on
// different axes, inference applies the selected CSP filters first and temporal-filters only those
// few virtual channels (8 instead of 64 × 5).
import type { MiArtifact } from './artifact';
import { BaseClassifier } from './base';
import { cspFeatures, CspState, fitCsp } from './csp';
import { anovaF, selectKBest } from './featureSelection';
import { fitShrinkageLda, ldaProba, LdaState } from './lda';
import type { Epoch, RecordingMeta } from './types';
import { butterSos, sosfiltfilt, Sos } from '../filters';

export const FBCSP_DEFAULT_BANDS: [number, number][] = [
  [8, 12],
  [12, 16],
  [16, 20],
  [20, 24],
  [24, 30],
];

export interface FbcspLdaOptions {
  fsHz?: number;
  bands?: [number, number][];
  order?: number;
  /** Seconds of extra signal on each side of the analysed window in every input epoch. */
  marginS?: number;
  nComponents?: number;
  kBest?: number;
  meta?: RecordingMeta;
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
  private readonly sos: Sos[];

  constructor(opts: FbcspLdaOptions = {}) {
    super(opts.meta ? { ...opts.meta, bands: opts.bands ?? FBCSP_DEFAULT_BANDS } : undefined);
    this.fsHz = opts.fsHz ?? opts.meta?.fsHz ?? 160;
    this.bands = opts.bands ?? FBCSP_DEFAULT_BANDS;
    this.order = opts.order ?? 4;
    this.marginS = opts.marginS ?? 0.5;
    this.nComponents = opts.nComponents ?? 4;
    this.kBest = opts.kBest ?? 8;
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
    this.bands.forEach((_, b) => {
      const be = epochs.map((e) => this.bandEpoch(e, b));
      const csp = fitCsp(be, y, K, { nComponents: this.nComponents });
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
    const keep = selectKBest(anovaF(feats, y, K), this.kBest);
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
      selection: 'anova-f',
    };
  }

  static fromArtifact(a: MiArtifact<FbcspLdaState>): FbcspLda {
    const p = a.params as Required<Omit<FbcspLdaOptions, 'meta'>>;
    return new FbcspLda(p).loadArtifact(a);
  }
}
