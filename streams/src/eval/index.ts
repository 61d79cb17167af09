// Offline evaluation helpers (pure). The anomaly-detection NAB scorer lives in ./nab (own index).
export { mulberry32, shuffleInPlace, Mt19937 } from './rng';
export type { Rng } from './rng';
export { stratifiedKFold, sklearnStratifiedKFold } from './kfold';
export type { Fold } from './kfold';
export { accuracy, rocAuc, rocAucOvr, confusionMatrix } from './metrics';
export { crossValidate, trainTest, scorePredictions } from './crossValidate';
export type { EvalResult } from './crossValidate';
export { miEpochsFromRecording, LEFT_RIGHT_CODES } from './miData';
export type { MiRunOptions } from './miData';
