// MDM: minimum distance to each class's Riemannian mean (affine-invariant metric), on per-trial
// Ledoit-Wolf covariances; probabilities = softmax(−δ²) as pyriemann's MDM.predict_proba.
import type { MiArtifact } from './artifact';
import { BaseClassifier } from './base';
import { invsqrtm } from './linalg';
import { softmax } from './lda';
import { distanceSqWhitened, ledoitWolfInto, RiemannScratch } from './kernels';
import { meanRiemann } from './riemann';
import { lwCovariances } from './tangentSpaceLr';
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
  private scratch: RiemannScratch | undefined;

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

  /** Squared distances to the class means (eigenvalues only: no eigenvectors are formed). */
  private distancesSq(s: MdmState, cov: Float64Array): number[] {
    this.wCache ??= s.meansInvSqrt.map((w) => Float64Array.from(w));
    const ws = (this.scratch = RiemannScratch.for(this.scratch, s.nChannels));
    return this.wCache.map((w) => distanceSqWhitened(cov, w, s.nChannels, ws));
  }

  distances(s: MdmState, cov: Float64Array): Float64Array {
    return Float64Array.from(this.distancesSq(s, cov), Math.sqrt);
  }

  probaFromCovariance(s: MdmState, cov: Float64Array): Float64Array {
    return softmax(this.distancesSq(s, cov).map((x) => -x));
  }

  protected probaFromState(s: MdmState, epoch: Epoch): Float64Array {
    if (epoch.nChannels !== s.nChannels) throw new Error(`mdm: fitted on ${s.nChannels} channels, window has ${epoch.nChannels}`);
    this.scratch = RiemannScratch.for(this.scratch, s.nChannels);
    return this.probaFromCovariance(s, ledoitWolfInto(epoch.data, epoch.nChannels, epoch.nSamples, this.scratch));
  }

  protected params(): Record<string, unknown> {
    return { covariance: 'ledoit-wolf', metric: 'riemann' };
  }

  static fromArtifact(a: MiArtifact<MdmState>): Mdm {
    return new Mdm().loadArtifact(a);
  }
}
