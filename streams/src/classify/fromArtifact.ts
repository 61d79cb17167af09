// Restore any classifier from its artefact by the pipeline name it records.
import type { MiArtifact } from './artifact';
import { AlignedTangentSpaceLr } from './alignedTangentSpaceLr';
import { CspLda } from './cspLda';
import { Ensemble, EnsembleState } from './ensemble';
import { FbcspLda } from './fbcspLda';
import { Mdm } from './mdm';
import { TangentSpaceLr } from './tangentSpaceLr';
import type { MiClassifier } from './types';

export function classifierFromArtifact(a: MiArtifact): MiClassifier & { toArtifact(): MiArtifact } {
  switch (a.pipeline) {
    case 'csp-lda':
      return CspLda.fromArtifact(a as never);
    case 'fbcsp-lda':
      return FbcspLda.fromArtifact(a as never);
    case 'ts-lr':
      return TangentSpaceLr.fromArtifact(a as never);
    case 'mdm':
      return Mdm.fromArtifact(a as never);
    case 'ra-ts-lr':
      return AlignedTangentSpaceLr.fromArtifact(a as never);
    default:
      if ((a.state as Partial<EnsembleState> | undefined)?.members) return Ensemble.fromArtifact(a as MiArtifact<EnsembleState>, classifierFromArtifact);
      throw new Error(`unknown pipeline ${a.pipeline}`);
  }
}
