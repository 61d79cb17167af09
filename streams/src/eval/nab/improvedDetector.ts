// Improved NAB detectors built from the same AnomalyStager: several causal
// features of the series (value, log level, change rate, short rolling means),
// each staged against its own rolling baseline (optionally robust, two-sided,
// several baseline spans), combined by the largest |z| ("spatial" pooling over
// features), then temporal pooling so a sustained incident scores only at its
// onset and when it gets worse — the "one alert per incident" idea of the
// alert lifecycle, expressed as a score.
import { AnomalyStager, type StagerConfig } from '../../anomaly/stager';
import { zToScore, type Detector } from './fieldDetector';

/**
 * 'value' | 'log' (sign·log1p|v|) | 'diff' (first difference) | 'meanK' (mean
 * of the last K values, e.g. 'mean6') | 'lagH' (value minus the value H hours
 * earlier, e.g. 'lag24') | 'volK' (std of the last K values).
 */
export type FeatureName = string;

export interface CompositeOptions {
  features: FeatureName[];
  /** One stager per (feature, span); the largest |z| wins. */
  windowsMs: number[];
  stager: Partial<StagerConfig>;
  /** Temporal pooling: a reading scores only if its |z| beats every |z| of the previous poolMs (0 = off). */
  poolMs: number;
}

interface Feature {
  next(v: number, t: number): number;
}

/** Rolling buffer of the last k values (NaN until full). */
function lastK(k: number, reduce: (buf: number[]) => number): Feature {
  const buf: number[] = [];
  return {
    next: (v) => {
      buf.push(v);
      if (buf.length > k) buf.shift();
      return buf.length === k ? reduce(buf) : NaN;
    },
  };
}

export function makeFeature(name: FeatureName): Feature {
  if (name === 'value') return { next: (v) => v };
  // Variance-stabilised level for non-negative, spiky quantities (counts, flows).
  if (name === 'log') return { next: (v) => Math.sign(v) * Math.log1p(Math.abs(v)) };
  // NaN on the first row: the stager reports 'invalid' and skips it.
  if (name === 'diff') return lastK(2, (b) => b[1]! - b[0]!);
  const mean = /^mean(\d+)$/.exec(name);
  if (mean) return lastK(Number(mean[1]), (b) => b.reduce((s, x) => s + x, 0) / b.length);
  const vol = /^vol(\d+)$/.exec(name);
  if (vol) {
    return lastK(Number(vol[1]), (b) => {
      const m = b.reduce((s, x) => s + x, 0) / b.length;
      return Math.sqrt(b.reduce((s, x) => s + (x - m) ** 2, 0) / (b.length - 1));
    });
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
        // Accept the lagged reading only if it is within lag/24 of exactly one lag back.
        const ok = ts[j]! <= t - lagMs && t - lagMs - ts[j]! < lagMs / 24;
        const out = ok ? v - vs[j]! : NaN;
        if (j > 100_000) {
          ts.splice(0, j);
          vs.splice(0, j);
          j = 0;
        }
        return out;
      },
    };
  }
  throw new Error(`unknown feature ${name}`);
}

/** Running max over a trailing time span (monotonic deque, O(1) amortised). */
export class TrailingMax {
  private t: number[] = [];
  private v: number[] = [];
  private head = 0;
  constructor(private readonly spanMs: number) {}
  /** Max of the values pushed with time in (now - span, now); -Infinity if none. */
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
      this.t = this.t.slice(this.head);
      this.v = this.v.slice(this.head);
      this.head = 0;
    }
  }
}

export function compositeDetector(o: CompositeOptions): Detector {
  return (timestamps, values) => {
    const feats = o.features.map(makeFeature);
    const stagers = o.features.map(() => o.windowsMs.map((w) => new AnomalyStager({ ...o.stager, windowMs: w })));
    const twoSided = stagers[0]![0]!.config.twoSided;
    const pool = o.poolMs > 0 ? new TrailingMax(o.poolMs) : null;
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
      if (best === -Infinity || Number.isNaN(best)) continue; // still warming up: score 0
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
