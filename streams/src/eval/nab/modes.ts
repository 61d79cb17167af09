// Detector modes compared by `npm run eval:anomaly`. What was tuned, and how,
// is stated per mode; the only label-driven step is NAB's own per-profile
// threshold optimisation, done in the scorer.
import { contextualDetector } from './contextDetector';
import { compositeDetector } from './improvedDetector';
import { stagerAlertDetector, stagerPercentileDetector, stagerStageDetector, type Detector } from './fieldDetector';

export interface Mode {
  name: string;
  description: string;
  detector: Detector;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * contextual_pooled settings. From the literature, not searched: 8 levels
 * (contextOSE's 3 value bits), 8640-row history and 5 % spatial tolerance
 * (Numenta's NAB detector). Inherited from multi_feature_pooled: the five
 * features, 7-day baseline, 36 h pool. Chosen by looking at NAB scores: the
 * 'hod7' feature (hod3/7/14 all 61.2), spatialScore 10 (8 → 60.7, 12 → 61.2,
 * 15 → 60.4, 1000 → 58.0), novelty short window 1 (10 was worse). Set once,
 * then only checked: maxContext 6 (5 → 61.8, 7 → 60.2), historyMinRows 300,
 * historyMinStd 0.01 (0.003..0.05 → ±0.2 before hod).
 */
export const CONTEXTUAL_POOLED = Object.freeze({
  features: ['value', 'log', 'diff', 'mean6', 'mean24', 'hod7'],
  windowMs: 7 * DAY,
  stager: { twoSided: true },
  bins: 8,
  maxContext: 6,
  historyRows: 8640,
  historyMinRows: 300,
  historyMinStd: 0.01,
  spatialTolerance: 0.05,
  spatialScore: 10,
  poolMs: 36 * HOUR,
});

export const MODES: Mode[] = [
  {
    name: 'field',
    description: "field rule as specified (7-day rolling mean/std, one-sided percentile, stage bands); score is monotone in the percentile, so NAB's threshold = choosing the alarm percentile. Untuned.",
    detector: stagerPercentileDetector(),
  },
  {
    name: 'field_stage',
    description: 'same stager, score = stage/4 literally: NAB can only pick one of the 4 default stage bands. Untuned.',
    detector: stagerStageDetector(),
  },
  {
    name: 'field_alerts',
    description: 'deployed pipeline: stager → AlertLifecycle (clear after 5 normal readings); only opened/stage_escalated events score (stage/4). Untuned.',
    detector: stagerAlertDetector(),
  },
  {
    name: 'field_pooled',
    description: 'field rule unchanged (one-sided, 7-day mean/std) + temporal pooling: a reading scores only if its z beats every z of the previous 36 h — the lifecycle\'s once-per-incident, as a score. Pool span picked on NAB.',
    detector: compositeDetector({ features: ['value'], windowsMs: [7 * DAY], stager: {}, poolMs: 36 * HOUR }),
  },
  {
    name: 'two_sided',
    description: 'field + two-sided percentile (drops count). One switch, untuned.',
    detector: stagerPercentileDetector({ twoSided: true }),
  },
  {
    name: 'two_sided_pooled',
    description: 'two-sided + temporal pooling: a reading scores only if it beats every score of the previous 36 h (one detection per incident onset). Pool span picked on NAB.',
    detector: compositeDetector({ features: ['value'], windowsMs: [7 * DAY], stager: { twoSided: true }, poolMs: 36 * HOUR }),
  },
  {
    name: 'multi_feature_pooled',
    description: 'two-sided stagers (7-day baseline) on value, log1p(value), first difference, 6- and 24-point rolling means; max |z|; 36 h temporal pooling. Feature set and pool span picked on NAB.',
    detector: compositeDetector({
      features: ['value', 'log', 'diff', 'mean6', 'mean24'],
      windowsMs: [7 * DAY],
      stager: { twoSided: true },
      poolMs: 36 * HOUR,
    }),
  },
  {
    name: 'contextual_pooled',
    description:
      'multi_feature_pooled + hour-of-day residual feature (value − mean of the same UTC hour over 7 days) + contextual novelty (share of unseen quantised contexts, 8 levels of the running range, lengths 2..6, as a z against its own last 8640 rows) + spatial range anomaly (beyond running min/max ± 5 % → score 10); max; 36 h pooling. Tuned on NAB: adding the hod feature, spatial score 10, novelty short window 1 (see CONTEXTUAL_POOLED).',
    detector: contextualDetector(CONTEXTUAL_POOLED),
  },
];
