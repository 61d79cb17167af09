// Injected faults for synthetic sensor series, so anomaly detectors can be tested against
// known ground truth. An anomaly changes the measured value of one metric (a sensor or process
// fault); it never touches the generator's random stream, so the rest of the series is the
// same with or without it.

export type AnomalyKind = 'spike' | 'drop' | 'drift' | 'stuck';
export const ANOMALY_KINDS: readonly AnomalyKind[] = ['spike', 'drop', 'drift', 'stuck'];

export interface AnomalySpec {
  kind: AnomalyKind;
  metric: string;
  /** Reading index (minutes from the series start) where it begins. */
  atMinute: number;
  /** Number of readings affected (>= 1). */
  durationMin: number;
  /**
   * In the metric's units: spike adds it, drop subtracts it, drift ramps linearly up to it at
   * the last affected reading. Ignored by stuck (the value freezes at its onset value).
   */
  magnitude: number;
}

export function isActive(a: AnomalySpec, minute: number): boolean {
  return minute >= a.atMinute && minute < a.atMinute + a.durationMin;
}

/**
 * The faulty value at `minute` given the clean one; `onsetValue` is the (possibly already
 * faulty) value at the anomaly's first reading, for stuck.
 */
export function applyAnomaly(a: AnomalySpec, minute: number, value: number, onsetValue: number): number {
  if (!isActive(a, minute)) return value;
  switch (a.kind) {
    case 'spike':
      return value + a.magnitude;
    case 'drop':
      return value - a.magnitude;
    case 'drift':
      return value + (a.magnitude * (minute - a.atMinute + 1)) / a.durationMin;
    case 'stuck':
      return onsetValue;
  }
}
