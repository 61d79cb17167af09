// Percentile staging of one (device, metric) series against a rolling normal
// fit. The reading is scored against the baseline BEFORE it is added, so an
// anomaly cannot widen the distribution it is judged by.
import { twoSidedTail, upperTail } from './normal';
import { BucketedMoments, type BucketSnapshot } from './bucketedMoments';
import { RollingWindow, type WindowSnapshot } from './rollingWindow';
import { DEFAULT_THRESHOLDS, stageFromPercentile, validateThresholds, type Stage, type StageThresholds } from './stages';

export const MINUTE_MS = 60_000;
export const MAD_TO_SIGMA = 1.4826;

export interface StagerConfig {
  /**
   * Optional age limit on the baseline, on reading timestamps (default none: Infinity). The
   * baseline is first of all a count of readings (maxPoints); this additionally drops readings
   * older than the span, e.g. so a device back after a long outage re-learns instead of being
   * judged against last season.
   */
  windowMs: number;
  /**
   * The baseline: the last this-many readings (default 10080 = the field team's "last 7 days of
   * minute readings"; for minute data identical to a 7-day time window).
   */
  maxPoints: number;
  /** Baseline points required before scoring; until then stage is null ('warming_up'). */
  minPoints: number;
  /** Fit median and 1.4826·MAD instead of mean and sample std. */
  robust: boolean;
  /** Score drops as well as rises: p = 100·(1 - P(|Z| > |z|)). */
  twoSided: boolean;
  /** Readings staged ≥ this are not added to the baseline (null = add everything). */
  excludeFromBaselineAtStage: Stage | null;
  thresholds: StageThresholds;
  /**
   * Robust fit only: when MAD is 0 (over half the window identical, common
   * with quantised meters), use the sample std instead of declaring every
   * other value infinitely far out.
   */
  robustFallbackToStd: boolean;
  /**
   * 0 = keep every reading in the window (exact; needed for robust). > 0 =
   * fold readings into time buckets of this size (mean/std fit only): ~30×
   * less memory at 1-minute data with 1-hour buckets; the window edge then
   * moves in bucket steps.
   */
  bucketMs: number;
  /** Floor for the fitted scale, in metric units (0 = none; a flat baseline then makes any change stage 4). */
  minScale: number;
}

/**
 * Defaults: the field team's rule with its two-sided option on, because in a water network the
 * dangerous events show as drops as well as rises (a burst main: pressure falls while flow
 * rises). One-sided (rises only) is `twoSided: false` / BCI_STAGER_TWO_SIDED=false.
 */
export const DEFAULT_STAGER_CONFIG: Readonly<StagerConfig> = Object.freeze({
  windowMs: Number.POSITIVE_INFINITY,
  maxPoints: 10080,
  minPoints: 60,
  robust: false,
  robustFallbackToStd: true,
  twoSided: true,
  excludeFromBaselineAtStage: null,
  thresholds: DEFAULT_THRESHOLDS,
  bucketMs: 0,
  minScale: 0,
});

export type StageStatus = 'scored' | 'warming_up' | 'invalid' | 'out_of_order';

export interface StageResult {
  time: number;
  value: number;
  status: StageStatus;
  /** null unless status === 'scored' (never 0 while warming up). */
  stage: Stage | null;
  /** Percentile 0..100 under the fitted normal (one- or two-sided per config). */
  percentile: number | null;
  /** Tail probability behind the percentile (percentile = 100·(1 - tail)); keeps precision where p rounds to 100. */
  tail: number | null;
  z: number | null;
  center: number | null;
  scale: number | null;
  baselineSize: number;
  addedToBaseline: boolean;
}

export interface StagerSnapshot {
  version: 1;
  config: StagerConfig;
  lastTime: number | null;
  window: WindowSnapshot | BucketSnapshot;
}

export function resolveStagerConfig(partial: Partial<StagerConfig> = {}): StagerConfig {
  const c: StagerConfig = {
    ...DEFAULT_STAGER_CONFIG,
    ...partial,
    thresholds: { ...DEFAULT_STAGER_CONFIG.thresholds, ...(partial.thresholds ?? {}) },
  };
  // JSON has no Infinity: a snapshot or stored config round-trips "no age limit" as null.
  if ((c.windowMs as number | null) === null) c.windowMs = Number.POSITIVE_INFINITY;
  validateThresholds(c.thresholds);
  if (!Number.isInteger(c.minPoints) || c.minPoints < 2) throw new RangeError('minPoints must be an integer ≥ 2');
  if (c.minPoints > c.maxPoints) throw new RangeError('minPoints must not exceed maxPoints');
  if (!(c.minScale >= 0)) throw new RangeError('minScale must be ≥ 0');
  if (!(c.bucketMs >= 0)) throw new RangeError('bucketMs must be ≥ 0');
  if (c.bucketMs > 0 && c.robust) throw new RangeError('bucketMs (bucketed baseline) cannot serve the robust fit; use bucketMs: 0');
  return c;
}

export class AnomalyStager {
  readonly config: StagerConfig;
  private readonly window: RollingWindow | BucketedMoments;
  private lastTime: number | null = null;

  constructor(config: Partial<StagerConfig> = {}) {
    this.config = resolveStagerConfig(config);
    const c = this.config;
    this.window = c.bucketMs > 0 ? new BucketedMoments(c.maxPoints, c.windowMs, c.bucketMs) : new RollingWindow(c.maxPoints, c.windowMs, c.robust);
  }

  get baselineSize(): number {
    return this.window.size;
  }

  /** Score one reading (time in epoch ms), then maybe add it to the baseline. */
  update(time: number, value: number): StageResult {
    const base = { time, value, stage: null, percentile: null, tail: null, z: null, center: null, scale: null };
    if (!Number.isFinite(time) || !Number.isFinite(value)) {
      return { ...base, status: 'invalid', baselineSize: this.window.size, addedToBaseline: false };
    }
    // Duplicates and late readings would corrupt the time window; the server
    // should store them but not re-stage them.
    if (this.lastTime !== null && time <= this.lastTime) {
      return { ...base, status: 'out_of_order', baselineSize: this.window.size, addedToBaseline: false };
    }
    this.lastTime = time;
    this.window.evictBefore(time);

    if (this.window.size < this.config.minPoints) {
      const baselineSize = this.window.size;
      this.window.push(time, value);
      return { ...base, status: 'warming_up', baselineSize, addedToBaseline: true };
    }

    const scored = this.score(value);
    const baselineSize = this.window.size;
    const exclude = this.config.excludeFromBaselineAtStage;
    const add = exclude === null || scored.stage < exclude;
    if (add) this.window.push(time, value);
    return { time, value, status: 'scored', ...scored, baselineSize, addedToBaseline: add };
  }

  /** Score without mutating state (what-if / dashboards). Null while warming up. */
  peek(value: number): Pick<StageResult, 'stage' | 'percentile' | 'tail' | 'z' | 'center' | 'scale'> | null {
    if (this.window.size < this.config.minPoints || !Number.isFinite(value)) return null;
    return this.score(value);
  }

  snapshot(): StagerSnapshot {
    return { version: 1, config: structuredClone(this.config), lastTime: this.lastTime, window: this.window.snapshot() };
  }

  static restore(s: StagerSnapshot): AnomalyStager {
    if (s.version !== 1) throw new Error(`unsupported stager snapshot version ${String(s.version)}`);
    const st = new AnomalyStager(s.config); // older snapshots lack newer options: defaults fill them
    if (st.window instanceof BucketedMoments) {
      if (!('buckets' in s.window)) throw new Error('stager snapshot holds points but config asks for buckets');
      st.window.restore(s.window);
    } else {
      if (!('times' in s.window)) throw new Error('stager snapshot holds buckets but config asks for points');
      st.window.restore(s.window);
    }
    st.lastTime = s.lastTime;
    return st;
  }

  private score(value: number): { stage: Stage; percentile: number; tail: number; z: number; center: number; scale: number } {
    const c = this.config;
    const w = this.window;
    const robust = c.robust && w instanceof RollingWindow;
    const center = robust ? w.getMedian() : w.getMean();
    let rawScale = robust ? MAD_TO_SIGMA * w.getMad() : w.getStd();
    if (rawScale === 0 && c.robust && c.robustFallbackToStd) rawScale = this.window.getStd();
    const scale = Math.max(rawScale, c.minScale);
    const diff = value - center;
    // Zero spread: equal values are perfectly normal, anything else is infinitely far out.
    const z = scale > 0 ? diff / scale : diff === 0 ? 0 : diff > 0 ? Infinity : -Infinity;
    const tail = c.twoSided ? twoSidedTail(z) : upperTail(z);
    const percentile = 100 * (1 - tail);
    return { stage: stageFromPercentile(percentile, c.thresholds), percentile, tail, z, center, scale };
  }
}
