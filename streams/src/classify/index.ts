// Motor-imagery classifiers: CSP+LDA, FBCSP+LDA, TS+LR, MDM, aligned transfer TS+LR, and the
// TF.js runtime (./tfjs, exported separately so importing classify does not load TensorFlow.js).
export type { Epoch, Label, MiClassifier, RecordingMeta, ClassifierMetrics } from './types';
export { makeEpoch, checkEpochs, uniqueClasses } from './types';
export { ARTIFACT_FORMAT, ARTIFACT_VERSION, checkArtifact } from './artifact';
export type { MiArtifact } from './artifact';
export { Fnv1a64, fingerprintTraining } from './fingerprint';
export type { TrainingFingerprint } from './fingerprint';
export { CspLda } from './cspLda';
export type { CspLdaOptions, CspLdaState } from './cspLda';
export { FbcspLda, FBCSP_DEFAULT_BANDS } from './fbcspLda';
export type { FbcspLdaOptions, FbcspLdaState } from './fbcspLda';
export { TangentSpaceLr } from './tangentSpaceLr';
export type { TangentSpaceLrOptions, TangentSpaceLrState } from './tangentSpaceLr';
export { Mdm } from './mdm';
export type { MdmState } from './mdm';
export { AlignedTangentSpaceLr } from './alignedTangentSpaceLr';
export type { AlignedTangentSpaceLrOptions, AlignedTangentSpaceLrState, SourceSet } from './alignedTangentSpaceLr';
export { classifierFromArtifact } from './fromArtifact';
export { cutEpochs } from './epoching';
export type { Annotation, EpochingOptions } from './epoching';
export { sampleCovariance, ledoitWolf, ledoitWolfFeatures } from './covariance';
export { symEig, sqrtm, invsqrtm, logm, expm, powm, generalizedSymEig } from './linalg';
export { meanRiemann, distanceRiemannWhitened, tangentVector } from './riemann';
export { fitCsp, cspFeatures } from './csp';
export { fitShrinkageLda } from './lda';
export { fitLogisticRegression } from './logreg';
export { anovaF, selectKBest } from './featureSelection';
