// CSP + shrinkage LDA (the classic motor-imagery pipeline; MNE CSP → sklearn LDA lsqr/auto).
import type { MiArtifact } from './artifact';
import { BaseClassifier } from './base';
import { cspFeatures, CspState, fitCsp } from './csp';
import { fitShrinkageLda, ldaProba, LdaState } from './lda';
import type { Epoch, RecordingMeta, SpatialPowerModel } from './types';

export interface CspLdaOptions {
  nComponents?: number;
  reg?: number;
  normTrace?: boolean;
  meta?: RecordingMeta;
}

export interface CspLdaState {
  csp: CspState;
  lda: LdaState;
}

export class CspLda extends BaseClassifier<CspLdaState> {
  readonly pipeline = 'csp-lda';
  readonly nComponents: number;
  readonly reg: number;
  readonly normTrace: boolean;

  constructor(opts: CspLdaOptions = {}) {
    super(opts.meta);
    this.nComponents = opts.nComponents ?? 6;
    this.reg = opts.reg ?? 0;
    this.normTrace = opts.normTrace ?? false;
  }

  protected fitState(epochs: readonly Epoch[], y: number[]): CspLdaState {
    const K = this.classes.length;
    const csp = fitCsp(epochs, y, K, { nComponents: this.nComponents, reg: this.reg, normTrace: this.normTrace });
    const X = epochs.map((e) => cspFeatures(csp, e));
    return { csp, lda: fitShrinkageLda(X, y, K) };
  }

  protected probaFromState(s: CspLdaState, epoch: Epoch): Float64Array {
    return ldaProba(s.lda, cspFeatures(s.csp, epoch));
  }

  /** CSP filters + LDA on their log powers: the live processor's per-sample path. */
  spatialPowerModel(): SpatialPowerModel | null {
    const s = this.state;
    if (!s) return null;
    return { filters: s.csp.filters, probaFromLogPowers: (f) => ldaProba(s.lda, f) };
  }

  protected params(): Record<string, unknown> {
    return { nComponents: this.nComponents, reg: this.reg, normTrace: this.normTrace };
  }

  static fromArtifact(a: MiArtifact<CspLdaState>): CspLda {
    const p = a.params as { nComponents: number; reg: number; normTrace: boolean };
    return new CspLda(p).loadArtifact(a);
  }
}
