// Transfer TS+LR with Riemannian alignment (Zanini et al. 2018, "re-centering"): every subject's
// covariances are whitened by that subject's own Riemannian mean, which moves all subjects to a
// common reference (the identity) where their tangent vectors are comparable. Other subjects'
// recentred trials are then added to the target subject's training set (with a weight), and a
// single logistic regression is fitted. The target is recentred with the mean of ITS TRAINING
// trials only, so at inference this is exactly TS+LR with reference = that mean: the artefact
// state has the same shape as TangentSpaceLr's.
import type { MiArtifact } from './artifact';
import { BaseClassifier } from './base';
import { ledoitWolf } from './covariance';
import { lwTangentVectorInto, RiemannScratch } from './kernels';
import { invsqrtm } from './linalg';
import { fitLogisticRegression, logRegProba } from './logreg';
import { meanRiemann, tangentDim, tangentVector } from './riemann';
import type { TangentSpaceLrState } from './tangentSpaceLr';
import { lwCovariance } from './tangentSpaceLr';
import type { Epoch, Label, RecordingMeta } from './types';

export interface SourceSet {
  /** Source subject's trials, same channels/band/window as the target. */
  epochs: readonly Epoch[];
  labels: readonly Label[];
}

export interface AlignedTangentSpaceLrOptions {
  C?: number;
  sources?: readonly SourceSet[];
  /** Weight of each source trial relative to a target trial in the LR loss. */
  sourceWeight?: number;
  /** Use only these channel indices (e.g. the sensorimotor strip); default all. */
  channelIndices?: number[];
  meta?: RecordingMeta;
}

export interface AlignedTangentSpaceLrState extends TangentSpaceLrState {
  channelIndices: number[] | null;
  nSourceTrials: number;
}

function subset(e: Epoch, idx: readonly number[] | null): Epoch {
  if (!idx) return e;
  const T = e.nSamples;
  const out = new Float64Array(idx.length * T);
  idx.forEach((c, i) => out.set(e.data.subarray(c * T, (c + 1) * T), i * T));
  return { data: out, nChannels: idx.length, nSamples: T };
}

const subsetCovCache = new WeakMap<Float64Array, Map<string, Float64Array>>();
function covariance(e: Epoch, idx: readonly number[] | null): Float64Array {
  if (!idx) return lwCovariance(e);
  const key = idx.join(',');
  let m = subsetCovCache.get(e.data);
  let c = m?.get(key);
  if (!c) {
    c = ledoitWolf(subset(e, idx)).covariance;
    if (!m) subsetCovCache.set(e.data, (m = new Map()));
    m.set(key, c);
  }
  return c;
}

// A source set's recentred tangent vectors depend only on that set and the channel subset.
const sourceCache = new WeakMap<readonly Epoch[], Map<string, Float64Array[]>>();
function sourceTangents(src: SourceSet, idx: readonly number[] | null): Float64Array[] {
  const key = idx ? idx.join(',') : 'all';
  let m = sourceCache.get(src.epochs);
  let v = m?.get(key);
  if (!v) {
    const covs = src.epochs.map((e) => covariance(e, idx));
    const n = idx ? idx.length : src.epochs[0].nChannels;
    const w = invsqrtm(meanRiemann(covs, n), n);
    v = covs.map((c) => tangentVector(c, w, n));
    if (!m) sourceCache.set(src.epochs, (m = new Map()));
    m.set(key, v);
  }
  return v;
}

export class AlignedTangentSpaceLr extends BaseClassifier<AlignedTangentSpaceLrState> {
  readonly pipeline = 'ra-ts-lr';
  readonly C: number;
  readonly sourceWeight: number;
  readonly channelIndices: number[] | null;
  private readonly sources: readonly SourceSet[];
  private wCache: Float64Array | undefined;
  private scratch: RiemannScratch | undefined;
  private tv: Float64Array | undefined;

  constructor(opts: AlignedTangentSpaceLrOptions = {}) {
    super(opts.meta);
    this.C = opts.C ?? 1;
    this.sources = opts.sources ?? [];
    this.sourceWeight = opts.sourceWeight ?? 1;
    this.channelIndices = opts.channelIndices ?? null;
  }

  protected fitState(epochs: readonly Epoch[], y: number[]): AlignedTangentSpaceLrState {
    const idx = this.channelIndices;
    const n = idx ? idx.length : epochs[0].nChannels;
    const covs = epochs.map((e) => covariance(e, idx));
    const ref = meanRiemann(covs, n);
    const w = invsqrtm(ref, n);
    const X = covs.map((c) => tangentVector(c, w, n));
    const yy = [...y];
    const sw = new Array<number>(X.length).fill(1);
    let nSource = 0;
    for (const src of this.sources) {
      const tv = sourceTangents(src, idx);
      src.labels.forEach((l, i) => {
        const k = this.classes.indexOf(l);
        if (k < 0) return; // a class the target does not have
        X.push(tv[i]);
        yy.push(k);
        sw.push(this.sourceWeight);
        nSource++;
      });
    }
    const lr = fitLogisticRegression(X, yy, this.classes.length, this.C, sw);
    this.wCache = w;
    return {
      nChannels: epochs[0].nChannels,
      reference: Array.from(ref),
      referenceInvSqrt: Array.from(w),
      lr,
      channelIndices: idx,
      nSourceTrials: nSource,
    };
  }

  protected probaFromState(s: AlignedTangentSpaceLrState, epoch: Epoch): Float64Array {
    const idx = s.channelIndices;
    const n = idx ? idx.length : s.nChannels;
    if (epoch.nChannels !== s.nChannels) throw new Error(`ra-ts-lr: fitted on ${s.nChannels} channels, window has ${epoch.nChannels}`);
    this.wCache ??= Float64Array.from(s.referenceInvSqrt);
    const ws = (this.scratch = RiemannScratch.for(this.scratch, n));
    if (this.tv?.length !== tangentDim(n)) this.tv = new Float64Array(tangentDim(n));
    // Not memoised: a live caller may refill the same window buffer, so identity is no cache key here.
    // Allocation-free kernels, the same quantities as the training path (see kernels.ts).
    const e = subset(epoch, idx);
    return logRegProba(s.lr, lwTangentVectorInto(e.data, n, e.nSamples, this.wCache, ws, this.tv));
  }

  protected params(): Record<string, unknown> {
    return { C: this.C, sourceWeight: this.sourceWeight, channelIndices: this.channelIndices, alignment: 'riemann-recentering' };
  }

  static fromArtifact(a: MiArtifact<AlignedTangentSpaceLrState>): AlignedTangentSpaceLr {
    const p = a.params as { C: number; sourceWeight: number; channelIndices: number[] | null };
    return new AlignedTangentSpaceLr({ C: p.C, sourceWeight: p.sourceWeight, channelIndices: p.channelIndices ?? undefined }).loadArtifact(a);
  }
}
