// Improved NAB detectors built from the same AnomalyStager: several causal
// features of the series (value, change rate, short rolling means), each
// staged against its own rolling baseline (optionally robust, two-sided,
// several baseline spans), combined by the largest |z|, then temporal pooling
// so a sustained incident only scores at its onset and when it gets worse —
// the same "one alert per incident" idea as the alert lifecycle.
import { AnomalyStager, type StagerConfig } from '../../anomaly/stager';
import { zToScore, type Detector } from './fieldDetector';

/**
 * 'value' | 'log' | 'diff' (first difference) | 'meanK' (mean of the last K
 * values, e.g. 'mean6') | 'lagH' (value minus the value H hours earlier,
 * e.g. 'lag24' for a daily-seasonal difference) | 'volK' (std of the last K
 * values: catches noise/variance changes that leave the level alone).
 */
export type FeatureName = string;

export interface CompositeOptions {
  features: FeatureName[];
  /** One stager per (feature, span); the largest |z| wins. */
  windowsMs: number[];
  stager: Partial<StagerConfig>;
  /**
   * Temporal pooling time constant (0 = off). 'max': a score counts only if it
   * beats every score in the previous poolMs. 'decay': it must beat the
   * previous |z| values decayed by exp(-Δt/poolMs) — a refractory period that
   * fades instead of ending abruptly.
   */
  poolMs: number;
  poolMode?: 'max' | 'decay';
  /** Output the |z| excess over the pooled level instead of |z| itself. */
  poolExcess?: boolean;
  /**
   * Per-series calibration: divide |z| by (median of the previous `peakDays`
   * daily maxima of |z|) / 3, so a heavy-tailed series whose every day has a
   * z = 9 spike is judged against that, and a quiet one is not penalised (the
   * divisor never goes below 1). 0 = off.
   */
  peakDays?: number;
}

/** Median of recent daily maxima of a stream, from completed days only. */
class DailyPeak {
  private readonly peaks: number[] = [];
  private day = NaN;
  private cur = -Infinity;
  constructor(private readonly days: number) {}
  divisor(t: number): number {
    const d = Math.floor(t / 86_400_000);
    if (d !== this.day) {
      if (this.cur > -Infinity) this.peaks.push(this.cur);
      if (this.peaks.length > this.days) this.peaks.shift();
      this.day = d;
      this.cur = -Infinity;
    }
    if (this.peaks.length === 0) return 1;
    const s = [...this.peaks].sort((a, b) => a - b);
    const n = s.length;
    const med = n % 2 ? s[(n - 1) >> 1]! : 0.5 * (s[n / 2 - 1]! + s[n / 2]!);
    return Math.max(1, med / 3);
  }
  push(z: number): void {
    if (z > this.cur) this.cur = z;
  }
}

interface Feature {
  next(v: number, t: number): number;
}

function makeFeature(name: FeatureName): Feature {
  if (name === 'value') return { next: (v) => v };
  // Variance-stabilised level for non-negative, spiky quantities (counts, flows).
  if (name === 'log') return { next: (v) => Math.sign(v) * Math.log1p(Math.abs(v)) };
  if (name === 'diff') {
    let prev = NaN;
    return {
      next: (v) => {
        const d = v - prev;
        prev = v;
        return d; // NaN on the first row → the stager reports 'invalid' and skips it
      },
    };
  }
  const lag = /^lag(\d+)$/.exec(name);
  if (lag) {
    const lagMs = Number(lag[1]) * 3_600_000;
    const ts: number[] = [];
    const vs: number[] = [];
    let j = 0;
    return {
      next: (v, t) => {
        ts.push(t);
        vs.push(v);
        while (j + 1 < ts.length && ts[j + 1]! <= t - lagMs) j++;
        // Accept the lagged reading only if it is close to exactly one lag back.
        const ok = ts[j]! <= t - lagMs && t - lagMs - ts[j]! < lagMs / 24;
        if (j > 100_000) {
          ts.splice(0, j);
          vs.splice(0, j);
          j = 0;
        }
        return ok ? v - vs[j]! : NaN;
      },
    };
  }
  const vol = /^vol(\d+)$/.exec(name);
  if (vol) {
    const k = Number(vol[1]);
    const buf: number[] = [];
    return {
      next: (v) => {
        buf.push(v);
        if (buf.length > k) buf.shift();
        if (buf.length < k) return NaN;
        let mean = 0;
        for (const x of buf) mean += x / k;
        let ss = 0;
        for (const x of buf) ss += (x - mean) ** 2;
        return Math.sqrt(ss / (k - 1));
      },
    };
  }
  const m = /^mean(\d+)$/.exec(name);
  if (m) {
    const k = Number(m[1]);
    const buf: number[] = [];
    let sum = 0;
    return {
      next: (v) => {
        buf.push(v);
        sum += v;
        if (buf.length > k) sum -= buf.shift()!;
        return buf.length === k ? sum / k : NaN;
      },
    };
  }
  throw new Error(`unknown feature ${name}`);
}

/** Running max over a trailing time span (monotonic deque, O(1) amortised). */
class TrailingMax {
  private readonly t: number[] = [];
  private readonly v: number[] = [];
  private head = 0;
  constructor(private readonly spanMs: number) {}
  /** Max of values with time in (now - span, now), before adding the current one. */
  maxBefore(now: number): number {
    while (this.head < this.t.length && this.t[this.head]! <= now - this.spanMs) this.head++;
    return this.head < this.t.length ? this.v[this.head]! : -Infinity;
  }
  push(time: number, value: number): void {
    while (this.t.length > this.head && this.v[this.v.length - 1]! <= value) {
      this.t.pop();
      this.v.pop();
    }
    this.t.push(time);
    this.v.push(value);
    if (this.head > 1024 && this.head * 2 > this.t.length) {
      this.t.splice(0, this.head);
      this.v.splice(0, this.head);
      this.head = 0;
    }
  }
}

export function compositeDetector(o: CompositeOptions): Detector {
  return (timestamps, values) => {
    const feats = o.features.map(makeFeature);
    const stagers = o.features.map(() => o.windowsMs.map((w) => new AnomalyStager({ ...o.stager, windowMs: w })));
    const twoSided = stagers[0]![0]!.config.twoSided;
    const pool = o.poolMs > 0 && (o.poolMode ?? 'max') === 'max' ? new TrailingMax(o.poolMs) : null;
    const decay = o.poolMs > 0 && o.poolMode === 'decay';
    const peak = o.peakDays ? new DailyPeak(o.peakDays) : null;
    let level = 0;
    let levelTime = -Infinity;
    const out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const t = timestamps[i]!;
      let best = -Infinity;
      for (let f = 0; f < feats.length; f++) {
        const x = feats[f]!.next(values[i]!, t);
        for (const s of stagers[f]!) {
          const r = s.update(t, x);
          if (r.z !== null) best = Math.max(best, twoSided ? Math.abs(r.z) : r.z);
        }
      }
      if (best === -Infinity || Number.isNaN(best)) {
        out[i] = 0;
        continue;
      }
      if (peak) {
        const div = peak.divisor(t);
        peak.push(best);
        best /= div;
      }
      if (decay) {
        const prev = level * Math.exp(-(t - levelTime) / o.poolMs);
        out[i] = best > prev ? zToScore(o.poolExcess ? best - prev : best) : 0;
        if (best >= prev) {
          level = best;
          levelTime = t;
        } else {
          level = prev;
          levelTime = t;
        }
        continue;
      }
      const score = zToScore(best);
      if (pool) {
        const prevMax = pool.maxBefore(t);
        pool.push(t, score);
        out[i] = score > prevMax ? score : 0;
      } else out[i] = score;
    }
    return out;
  };
}
