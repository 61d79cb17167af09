// Stage bands exactly as the field team wrote them (p = percentile 0..100):
//   0 normal            p < 90
//   1 Interest  (관심)  90 ≤ p ≤ 95
//   2 Caution   (주의)  95 ≤ p < 98
//   3 Alert     (경계)  98 ≤ p < 99
//   4 Critical  (심각)  99 ≤ p ≤ 100
// Bands 1 and 2 overlap at exactly p = 95. We resolve it in favour of the
// LOWER stage, as the spec lists "90 ≤ p ≤ 95" first: p = 95 → stage 1,
// p = 95.0001 → stage 2. Every other boundary is half-open as written.

import type { StageNumber } from '@bci/shared';

export type Stage = StageNumber;

// The names are part of the wire contract (the dashboard shows them).
export { STAGE_NAMES } from '@bci/shared';

/** Lower percentile bounds of stages 1..4 (each configurable per device/metric). */
export interface StageThresholds {
  interest: number;
  caution: number;
  alert: number;
  critical: number;
}

export const DEFAULT_THRESHOLDS: Readonly<StageThresholds> = Object.freeze({
  interest: 90,
  caution: 95,
  alert: 98,
  critical: 99,
});

export function validateThresholds(t: StageThresholds): void {
  const xs = [t.interest, t.caution, t.alert, t.critical];
  if (!xs.every((x) => Number.isFinite(x) && x >= 0 && x <= 100)) {
    throw new RangeError(`stage thresholds must be finite percentiles in [0, 100]: ${JSON.stringify(t)}`);
  }
  for (let i = 1; i < xs.length; i++) {
    if (!(xs[i]! > xs[i - 1]!)) throw new RangeError(`stage thresholds must strictly increase: ${JSON.stringify(t)}`);
  }
}

/** Map a percentile (0..100) to a stage. NaN maps to 0 (nothing to report). */
export function stageFromPercentile(p: number, t: StageThresholds = DEFAULT_THRESHOLDS): Stage {
  if (!(p >= t.interest)) return 0;
  if (p <= t.caution) return 1; // closed upper bound: the overlap at `caution` stays stage 1
  if (p < t.alert) return 2;
  if (p < t.critical) return 3;
  return 4;
}
