// Live pipeline settings from the environment (see the README's pipeline section).
export interface PipelineConfig {
  /** Run the live processors at all (BCI_PIPELINE=off: ingest and storage only, e.g. to measure ingest alone). */
  enabled: boolean;
  /** Mains notch in Hz; null = off (BCI_PIPELINE_NOTCH_HZ=off). */
  notchHz: number | null;
  lowHz: number;
  highHz: number;
  order: number;
  windowSec: number;
  stepSec: number;
  /** Store predictions, band powers and quality (BCI_PIPELINE_STORE=0 turns it off, e.g. to measure). */
  store: boolean;
  /** Folds for the cross-validated metrics of a trained model. */
  cvFolds: number;
  /** Worker threads the live processors run in, devices sharded by id (0: on the main thread). */
  workers: number;
}

export const PIPELINE_CONFIG = Symbol('PIPELINE_CONFIG');

function num(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name}=${v} is not a non-negative number`);
  return n;
}

export function loadPipelineConfig(env: NodeJS.ProcessEnv = process.env): PipelineConfig {
  const notch = env.BCI_PIPELINE_NOTCH_HZ;
  return {
    enabled: !['off', '0', 'false', 'no'].includes((env.BCI_PIPELINE ?? '').toLowerCase()),
    notchHz: notch === 'off' || notch === '0' ? null : num(env, 'BCI_PIPELINE_NOTCH_HZ', 50),
    lowHz: num(env, 'BCI_PIPELINE_LOW_HZ', 8),
    highHz: num(env, 'BCI_PIPELINE_HIGH_HZ', 30),
    order: num(env, 'BCI_PIPELINE_ORDER', 4),
    windowSec: num(env, 'BCI_PIPELINE_WINDOW_SEC', 2),
    stepSec: num(env, 'BCI_PIPELINE_STEP_SEC', 0.25),
    store: !['0', 'false', 'no'].includes((env.BCI_PIPELINE_STORE ?? '').toLowerCase()),
    cvFolds: num(env, 'BCI_PIPELINE_CV_FOLDS', 5),
    workers: Math.floor(num(env, 'BCI_PIPELINE_WORKERS', 1)),
  };
}

/** The filter options the live processor and calibration epoching share. */
export function filterOptions(c: PipelineConfig) {
  return { notchHz: c.notchHz, lowHz: c.lowHz, highHz: c.highHz, order: c.order };
}
