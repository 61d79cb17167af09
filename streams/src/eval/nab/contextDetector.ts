// Contextual NAB detector: the multi-feature stager z (improvedDetector, plus
// an hour-of-day residual feature) and two causal signals the stagers cannot
// see, all on one |z|-like scale, then the same temporal pooling.
//
// 0. Seasonal residual ('hodD' feature): value minus the mean of earlier
//    readings in the same UTC hour of day over the last D days, staged like
//    the other features, so a daily peak is not news but a missing one is.
// 1. Contextual novelty (after contextOSE): each value is quantised into
//    `bins` levels of the range seen so far; the context of a reading is the
//    run of quantised values ending at it. The raw novelty is the fraction of
//    its sub-contexts (lengths 2..maxContext) never seen before in this series.
//    A new shape scores even when no single value is extreme.
// 2. Novelty likelihood (after Numenta's anomaly likelihood, short window 1):
//    the raw novelty is turned into a z against the mean/std of its own last
//    `historyRows` values, so a series that is always novel (noise) does not
//    alarm all the time while a normally repetitive one does on a new shape.
// 3. Spatial range anomaly (Numenta's NAB detector does the same): a value
//    beyond the running [min, max] widened by `spatialTolerance` of the range
//    scores at least `spatialScore`.
// Score = max(stager |z|, novelty z, spatial), pooled over `poolMs` (a reading
// scores only if it beats every score of the previous poolMs), then zToScore.
// Everything uses only data up to the reading being scored.
import { AnomalyStager, type StagerConfig } from '../../anomaly/stager';
import { zToScore, type Detector } from './fieldDetector';
import { makeFeature, TrailingMax, type FeatureName } from './improvedDetector';

export interface ContextualOptions {
  /** Stager features: compositeDetector's names plus 'hodD' (see contextFeature). */
  features: FeatureName[];
  windowMs: number;
  stager: Partial<StagerConfig>;
  /** Quantisation levels over the running range. */
  bins: number;
  /** Longest context (in readings) whose novelty is counted; contexts of length 2..maxContext. */
  maxContext: number;
  /** Rows of raw novelty history the novelty z is measured against. */
  historyRows: number;
  /** Rows of history needed before the novelty z is used. */
  historyMinRows: number;
  /** Floor on the novelty history std (novelty is a fraction in [0, 1]). */
  historyMinStd: number;
  /** Fraction of the running range a value must exceed it by to be a spatial anomaly (< 0 = off). */
  spatialTolerance: number;
  /** |z|-scale score given to a spatial anomaly. */
  spatialScore: number;
  /** Temporal pooling span (0 = off). */
  poolMs: number;
}

/**
 * Fraction of the contexts ending at each reading that are new. Quantisation
 * uses the running min/max, so it sees only the past and the current value.
 */
export class ContextNovelty {
  private readonly seen = new Set<string>();
  private readonly recent: number[] = [];
  private min = Infinity;
  private max = -Infinity;
  constructor(
    private readonly bins: number,
    private readonly maxContext: number,
  ) {
    if (!Number.isInteger(bins) || bins < 2) throw new RangeError('bins must be an integer ≥ 2');
    if (!Number.isInteger(maxContext) || maxContext < 2) throw new RangeError('maxContext must be an integer ≥ 2');
  }

  /** Raw novelty in [0, 1] (0 for the first reading, which has no context yet). */
  next(v: number): number {
    if (!Number.isFinite(v)) return 0;
    this.min = Math.min(this.min, v);
    this.max = Math.max(this.max, v);
    const span = this.max - this.min;
    const q = span > 0 ? Math.min(this.bins - 1, Math.floor((this.bins * (v - this.min)) / span)) : 0;
    this.recent.push(q);
    if (this.recent.length > this.maxContext) this.recent.shift();
    let unseen = 0;
    let total = 0;
    let key = String(q);
    for (let l = 2; l <= this.recent.length; l++) {
      key = `${this.recent[this.recent.length - l]!},${key}`;
      total++;
      if (!this.seen.has(key)) {
        unseen++;
        this.seen.add(key);
      }
    }
    return total > 0 ? unseen / total : 0;
  }
}

/** z of each value against the mean/std of the previous `rows` values (NaN until `minRows`). */
export class TrailingZ {
  private readonly buf: number[] = [];
  private head = 0;
  private sum = 0;
  private sum2 = 0;
  constructor(
    private readonly rows: number,
    private readonly minRows: number,
    private readonly minStd: number,
  ) {}

  next(x: number): number {
    const n = this.buf.length - this.head;
    let z = NaN;
    if (n >= this.minRows) {
      const mean = this.sum / n;
      const sd = Math.sqrt(Math.max(this.sum2 / n - mean * mean, this.minStd * this.minStd));
      z = (x - mean) / sd;
    }
    this.buf.push(x);
    this.sum += x;
    this.sum2 += x * x;
    if (this.buf.length - this.head > this.rows) {
      const old = this.buf[this.head++]!;
      this.sum -= old;
      this.sum2 -= old * old;
    }
    if (this.head > 4096 && this.head * 2 > this.buf.length) {
      this.buf.splice(0, this.head);
      this.head = 0;
      // Re-sum to drop accumulated rounding.
      this.sum = this.buf.reduce((s, v) => s + v, 0);
      this.sum2 = this.buf.reduce((s, v) => s + v * v, 0);
    }
    return z;
  }
}

/** True when v lies outside the running range of earlier values widened by tolerance·range. */
export class SpatialRange {
  private min = Infinity;
  private max = -Infinity;
  constructor(private readonly tolerance: number) {}
  next(v: number): boolean {
    if (!Number.isFinite(v)) return false;
    let out = false;
    if (this.tolerance >= 0 && this.max > this.min) {
      const tol = (this.max - this.min) * this.tolerance;
      out = v > this.max + tol || v < this.min - tol;
    }
    this.min = Math.min(this.min, v);
    this.max = Math.max(this.max, v);
    return out;
  }
}

/** makeFeature's features plus 'hodD': the value minus the mean of earlier readings in the same UTC hour of day over the last D days. */
export function contextFeature(name: FeatureName): { next(v: number, t: number): number } {
  const hod = /^hod(\d+)$/.exec(name);
  return hod ? hourOfDayResidual(Number(hod[1]) * 86_400_000) : makeFeature(name);
}

/** v minus the mean of earlier readings in the same UTC hour of day within the last spanMs (NaN if none). */
export function hourOfDayResidual(spanMs: number): { next(v: number, t: number): number } {
  const slots = Array.from({ length: 24 }, () => ({ t: [] as number[], v: [] as number[], head: 0, sum: 0 }));
  return {
    next: (v, t) => {
      if (!Number.isFinite(v) || !Number.isFinite(t)) return NaN;
      const s = slots[Math.floor((((t % 86_400_000) + 86_400_000) % 86_400_000) / 3_600_000)]!;
      while (s.head < s.t.length && s.t[s.head]! <= t - spanMs) s.sum -= s.v[s.head++]!;
      const n = s.t.length - s.head;
      const out = n > 0 ? v - s.sum / n : NaN;
      s.t.push(t);
      s.v.push(v);
      s.sum += v;
      if (s.head > 1024 && s.head * 2 > s.t.length) {
        s.t.splice(0, s.head);
        s.v.splice(0, s.head);
        s.head = 0;
      }
      return out;
    },
  };
}

export function contextualDetector(o: ContextualOptions): Detector {
  return (timestamps, values) => {
    const feats = o.features.map(contextFeature);
    const stagers = o.features.map(() => new AnomalyStager({ ...o.stager, windowMs: o.windowMs }));
    const twoSided = stagers[0]?.config.twoSided ?? true;
    const novelty = new ContextNovelty(o.bins, o.maxContext);
    const noveltyZ = new TrailingZ(o.historyRows, o.historyMinRows, o.historyMinStd);
    const spatial = new SpatialRange(o.spatialTolerance);
    const pool = o.poolMs > 0 ? new TrailingMax(o.poolMs) : null;
    const out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const t = timestamps[i]!;
      const v = values[i]!;
      let best = -Infinity;
      for (let f = 0; f < feats.length; f++) {
        const r = stagers[f]!.update(t, feats[f]!.next(v, t));
        if (r.z !== null && !Number.isNaN(r.z)) best = Math.max(best, twoSided ? Math.abs(r.z) : r.z);
      }
      const nz = noveltyZ.next(novelty.next(v));
      if (!Number.isNaN(nz)) best = Math.max(best, nz);
      if (spatial.next(v)) best = Math.max(best, o.spatialScore);
      if (best === -Infinity) continue; // nothing warmed up yet: score 0
      if (pool) {
        const prevMax = pool.maxBefore(t);
        pool.push(t, best);
        if (!(best > prevMax)) continue;
      }
      out[i] = zToScore(best);
    }
    return out;
  };
}
