// TS+LR: per-trial Ledoit-Wolf covariance → tangent space at the training set's Riemannian mean →
// L2 logistic regression (pyriemann Covariances('lwf') + TangentSpace() + sklearn LogisticRegression()).
import type { MiArtifact } from './artifact';
import { BaseClassifier } from './base';
import { ledoitWolf } from './covariance';
import { lwTangentVectorInto, RiemannScratch, tangentVectorInto } from './kernels';
import { invsqrtm } from './linalg';
import { fitLogisticRegression, logRegProba, LogRegState } from './logreg';
import { meanRiemann, tangentDim, tangentVector } from './riemann';
import type { Epoch, RecordingMeta } from './types';

export interface TangentSpaceLrOptions {
  C?: number;
  meta?: RecordingMeta;
}

export interface TangentSpaceLrState {
  nChannels: number;
  /** Riemannian mean of the training covariances (row-major). */
  reference: number[];
  /** reference^(-1/2), precomputed so inference is one congruence + one eigendecomposition. */
  referenceInvSqrt: number[];
  lr: LogRegState;
}

// Per-trial covariances are the costly part of fitting; evaluation refits on the same trials many
// times (folds, pipelines), so they are memoised by the identity of the epoch's data buffer.
// Epoch buffers are treated as immutable everywhere in classify/.
const lwCache = new WeakMap<Float64Array, Float64Array>();

export function lwCovariance(e: Epoch): Float64Array {
  let c = lwCache.get(e.data);
  if (!c) {
    c = ledoitWolf(e).covariance;
    lwCache.set(e.data, c);
  }
  return c;
}

export function lwCovariances(epochs: readonly Epoch[]): Float64Array[] {
  return epochs.map(lwCovariance);
}

export class TangentSpaceLr extends BaseClassifier<TangentSpaceLrState> {
  readonly pipeline = 'ts-lr';
  readonly C: number;
  private wCache: Float64Array | undefined;
  private scratch: RiemannScratch | undefined;
  private tv: Float64Array | undefined;

  constructor(opts: TangentSpaceLrOptions = {}) {
    super(opts.meta);
    this.C = opts.C ?? 1;
  }

  protected fitState(epochs: readonly Epoch[], y: number[]): TangentSpaceLrState {
    return this.fitFromCovariances(lwCovariances(epochs), y, epochs[0].nChannels);
  }

  /** Exposed so evaluation can reuse per-trial covariances across folds. */
  fitFromCovariances(covs: readonly Float64Array[], y: readonly number[], n: number, sampleWeight?: number[]): TangentSpaceLrState {
    const ref = meanRiemann(covs, n);
    const w = invsqrtm(ref, n);
    const X = covs.map((c) => tangentVector(c, w, n));
    const lr = fitLogisticRegression(X, y, this.classes.length, this.C, sampleWeight);
    this.wCache = w;
    return { nChannels: n, reference: Array.from(ref), referenceInvSqrt: Array.from(w), lr };
  }

  // Inference: allocation-free kernels (blocked Ledoit-Wolf, symmetric congruence, in-place
  // eigendecomposition) computing the same quantities as the training path above.
  protected probaFromState(s: TangentSpaceLrState, epoch: Epoch): Float64Array {
    if (epoch.nChannels !== s.nChannels) throw new Error(`ts-lr: fitted on ${s.nChannels} channels, window has ${epoch.nChannels}`);
    const n = s.nChannels;
    this.wCache ??= Float64Array.from(s.referenceInvSqrt);
    this.scratch = RiemannScratch.for(this.scratch, n);
    if (this.tv?.length !== tangentDim(n)) this.tv = new Float64Array(tangentDim(n));
    return logRegProba(s.lr, lwTangentVectorInto(epoch.data, n, epoch.nSamples, this.wCache, this.scratch, this.tv));
  }

  probaFromCovariance(s: TangentSpaceLrState, cov: Float64Array): Float64Array {
    const n = s.nChannels;
    this.wCache ??= Float64Array.from(s.referenceInvSqrt);
    this.scratch = RiemannScratch.for(this.scratch, n);
    if (this.tv?.length !== tangentDim(n)) this.tv = new Float64Array(tangentDim(n));
    return logRegProba(s.lr, tangentVectorInto(cov, this.wCache, n, this.scratch, this.tv));
  }

  protected params(): Record<string, unknown> {
    return { C: this.C, covariance: 'ledoit-wolf', metric: 'riemann' };
  }

  static fromArtifact(a: MiArtifact<TangentSpaceLrState>): TangentSpaceLr {
    return new TangentSpaceLr({ C: (a.params as { C: number }).C }).loadArtifact(a);
  }
}
