// Detector modes compared by `npm run eval:anomaly`.
import { stagerPercentileDetector, stagerStageDetector, type Detector } from './fieldDetector';

export interface Mode {
  name: string;
  description: string;
  detector: Detector;
}

export const MODES: Mode[] = [
  {
    name: 'field',
    description: "field team's rule (7-day rolling mean/std, one-sided percentile); score graded by percentile so NAB picks the alarm percentile",
    detector: stagerPercentileDetector(),
  },
  {
    name: 'field_stage',
    description: 'same stager, score = stage/4 literally (NAB can only choose among the 4 default stage thresholds)',
    detector: stagerStageDetector(),
  },
  { name: 'two_sided', description: 'field + two-sided', detector: stagerPercentileDetector({ twoSided: true }) },
  { name: 'robust2s', description: 'robust two-sided', detector: stagerPercentileDetector({ twoSided: true, robust: true }) },
];
