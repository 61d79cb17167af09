// MDM: minimum distance to each class's Riemannian mean (affine-invariant metric), on per-trial
// Ledoit-Wolf covariances; probabilities = softmax(−δ²) as pyriemann's MDM.predict_proba.
import type { MiArtifact } from './artifact';
import { BaseClassifier } from './base';
import { invsqrtm } from './linalg';
import { softmax } from './lda';
import { distanceRiemannWhitened, meanRiemann } from './riemann';
import { lwCovariances } from './tangentSpaceLr';
import { ledoitWolf } from './covariance';

const ledoitWolfCov = (e: Epoch): Float64Array => ledoitWolf(e).covariance;
import type { Epoch, RecordingMeta } from './types';

export interface MdmState {
  nChannels: number;
  means: number[][];
  /** mean^(-1/2) per class, precomputed for the distance. */
  meansInvSqrt: number[][];
}

export class Mdm extends BaseClassifier<MdmState> {
  readonly pipeline = 'mdm';
  private wCache: Float64Array[] | undefined;

  constructor(opts: { meta?: RecordingMeta } = {}) {
    super(opts.meta);
  }

  protected fitState(epochs: readonly Epoch[], y: number[]): MdmState {
    return this.fitFromCovariances(lwCovariances(epochs), y, epochs[0].nChannels);
  }

  fitFromCovariances(covs: readonly Float64Array[], y: readonly number[], n: number): MdmState {
    const means: number[][] = [];
    const inv: number[][] = [];
    this.wCache = [];
    for (let k = 0; k < this.classes.length; k++) {
      const m = meanRiemann(covs.filter((_, i) => y[i] === k), n);
      const w = invsqrtm(m, n);
      means.push(Array.from(m));
      inv.push(Array.from(w));
      this.wCache.push(w);
    }
    return { nChannels: n, means, meansInvSqrt: inv };
  }

  distances(s: MdmState, cov: Float64Array): Float64Array {
    this.wCache ??= s.meansInvSqrt.map((w) => Float64Array.from(w));
    return Float64Array.from(this.wCache, (w) => distanceRiemannWhitened(cov, w, s.nChannels));
  }

  probaFromCovariance(s: MdmState, cov: Float64Array): Float64Array {
    const d = this.distances(s, cov);
    return softmax(Array.from(d, (x) => -x * x));
  }

  protected probaFromState(s: MdmState, epoch: Epoch): Float64Array {
    return this.probaFromCovariance(s, ledoitWolfCov(epoch));
  }

  protected params(): Record<string, unknown> {
    return { covariance: 'ledoit-wolf', metric: 'riemann' };
  }

  static fromArtifact(a: MiArtifact<MdmState>): Mdm {
    return new Mdm().loadArtifact(a);
  }
}
