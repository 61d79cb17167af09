// The field team's rule as a NAB detector: rolling 7-day gaussian percentile →
// stage 0..4 → anomaly score. Nothing here is tuned.
import { AlertLifecycle } from '../../alerts/lifecycle';
import { AnomalyStager, type StagerConfig } from '../../anomaly/stager';

export type Detector = (timestamps: number[], values: number[]) => Float64Array;

/**
 * z → score in (0, 1): a logistic in z, monotone in the percentile (one-sided
 * z, or |z| when two-sided), so every stage boundary is one score threshold
 * (p = 90 → 0.579, 95 → 0.601, 98 → 0.626, 99 → 0.641) while z = 8 and z = 40
 * stay distinguishable — tails underflow to 0 near z = 38, z does not.
 */
export function zToScore(z: number): number {
  if (Number.isNaN(z)) return 0;
  return 1 / (1 + Math.exp(-z / 4));
}

/** Percentile-graded score: the stage rule with NAB choosing the alarm threshold. */
export function stagerPercentileDetector(config: Partial<StagerConfig> = {}): Detector {
  return (timestamps, values) => {
    const s = new AnomalyStager(config);
    const out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const r = s.update(timestamps[i]!, values[i]!);
      out[i] = r.z === null ? 0 : zToScore(s.config.twoSided ? Math.abs(r.z) : r.z);
    }
    return out;
  };
}

/** Literal stage score: stage/4, warm-up 0 — only the four stage thresholds are available. */
export function stagerStageDetector(config: Partial<StagerConfig> = {}): Detector {
  return (timestamps, values) => {
    const s = new AnomalyStager(config);
    const out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const r = s.update(timestamps[i]!, values[i]!);
      out[i] = r.stage === null ? 0 : r.stage / 4;
    }
    return out;
  };
}

/**
 * The deployed pipeline end to end: stager → AlertLifecycle, where only the
 * events an operator hears about count — `opened` and `stage_escalated` —
 * scored as stage/4. Everything else (repeats inside an incident) scores 0.
 */
export function stagerAlertDetector(config: Partial<StagerConfig> = {}, clearAfterNormalReadings = 5): Detector {
  return (timestamps, values) => {
    const s = new AnomalyStager(config);
    const lc = new AlertLifecycle({ clearAfterNormalReadings, escalateAfterMs: null, autoCloseAfterMs: 0, emitUpdates: false });
    const out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const r = s.update(timestamps[i]!, values[i]!);
      const events = lc.observe({ deviceId: 'nab', metric: 'value', time: timestamps[i]!, value: values[i]!, stage: r.stage });
      lc.tick(timestamps[i]!);
      for (const e of events) if (e.type === 'opened' || e.type === 'stage_escalated') out[i] = e.alert.lastStage / 4;
    }
    return out;
  };
}
