// NAB scoring, written from the method described in Lavin & Ahmad (2015) and
// NAB's docs (not a port): each labelled window rewards only its earliest
// detection through a scaled sigmoid of the position in the window, every
// detection outside a window is a false positive weighted by how far it lies
// past the preceding window, undetected windows cost fnWeight, the first 15%
// of each series (at most 750 rows) is probationary and not scored, and the
// raw score is normalised so the null detector gets 0 and a perfect one 100.
// The decision threshold is optimised per profile over the whole corpus.

export type ProfileName = 'standard' | 'reward_low_FP_rate' | 'reward_low_FN_rate';

export interface CostProfile {
  tpWeight: number;
  fpWeight: number;
  fnWeight: number;
}

export const NAB_PROFILES: Readonly<Record<ProfileName, CostProfile>> = Object.freeze({
  standard: { tpWeight: 1, fpWeight: 0.11, fnWeight: 1 },
  reward_low_FP_rate: { tpWeight: 1, fpWeight: 0.22, fnWeight: 1 },
  reward_low_FN_rate: { tpWeight: 1, fpWeight: 0.11, fnWeight: 2 },
});

export const PROFILE_NAMES: readonly ProfileName[] = ['standard', 'reward_low_FP_rate', 'reward_low_FN_rate'];

export const DEFAULT_PROBATION_PERCENT = 0.15;

/** 2·sigmoid(-5x) - 1: +0.987 at the left edge of a window (x = -1), 0 at its right edge, → -1 after. */
export function scaledSigmoid(x: number): number {
  if (x >= 3) return -1; // far past a window: a full-cost false positive
  return 2 / (1 + Math.exp(5 * x)) - 1;
}

const MAX_TP = scaledSigmoid(-1);

export function probationLength(n: number, percent = DEFAULT_PROBATION_PERCENT): number {
  return Math.min(Math.floor(percent * n), percent * 5000);
}

export interface LabelledSeries {
  name: string;
  /** Epoch ms, strictly increasing. */
  timestamps: number[];
  /** Inclusive [start, end] windows in epoch ms, in time order. */
  windows: Array<[number, number]>;
}

/** Per-row facts that do not depend on the detector. */
export interface PreparedSeries {
  name: string;
  n: number;
  probation: number;
  /** Window index per row (-1 outside every window). */
  windowOf: Int32Array;
  /**
   * Unweighted sigmoid per row: inside a window the true-positive value
   * scaledSigmoid(-(right - i + 1)/width); outside, the false-positive value
   * scaledSigmoid(|i - prevRight| / (prevWidth - 1)), or -1 before any window.
   */
  sigma: Float64Array;
  /** Windows with at least one scorable (post-probation) row. */
  scoredWindows: number;
  windowCount: number;
}

export function prepareSeries(s: LabelledSeries, probationPercent = DEFAULT_PROBATION_PERCENT): PreparedSeries {
  const n = s.timestamps.length;
  const windowOf = new Int32Array(n).fill(-1);
  const sigma = new Float64Array(n);
  const ranges: Array<[number, number]> = [];
  for (const [start, end] of s.windows) {
    // Windows carry row timestamps; tolerate misalignment by snapping inward.
    const l = lowerBound(s.timestamps, start);
    const r = lowerBound(s.timestamps, end + 1) - 1;
    if (l <= r) ranges.push([l, r]);
  }
  let prevRight = -1;
  let prevWidth = 0;
  let w = 0;
  for (let i = 0; i < n; i++) {
    while (w < ranges.length && ranges[w]![1] < i) {
      prevRight = ranges[w]![1];
      prevWidth = ranges[w]![1] - ranges[w]![0] + 1;
      w++;
    }
    const cur = ranges[w];
    if (cur && i >= cur[0] && i <= cur[1]) {
      const width = cur[1] - cur[0] + 1;
      windowOf[i] = w;
      sigma[i] = scaledSigmoid(-(cur[1] - i + 1) / width);
    } else if (prevRight < 0) {
      sigma[i] = -1;
    } else {
      // A one-row window makes the divisor 0: every later FP is "far past" (-1).
      sigma[i] = prevWidth > 1 ? scaledSigmoid(Math.abs(i - prevRight) / (prevWidth - 1)) : -1;
    }
  }
  const probation = probationLength(n, probationPercent);
  const scored = new Set<number>();
  for (let i = 0; i < n; i++) if (i >= probation && windowOf[i]! >= 0) scored.add(windowOf[i]!);
  return { name: s.name, n, probation, windowOf, sigma, scoredWindows: scored.size, windowCount: ranges.length };
}

export interface ThresholdScore {
  threshold: number;
  score: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/** Raw NAB score of one series when rows with anomalyScore ≥ threshold are detections. */
export function scoreSeries(p: PreparedSeries, scores: ArrayLike<number>, threshold: number, profile: CostProfile): ThresholdScore {
  if (scores.length !== p.n) throw new Error(`${p.name}: ${scores.length} scores for ${p.n} rows`);
  const best = new Map<number, number>();
  let fpSum = 0;
  let tp = 0, fp = 0, fn = 0, tn = 0;
  for (let i = p.probation; i < p.n; i++) {
    const hit = scores[i]! >= threshold;
    const w = p.windowOf[i]!;
    if (w >= 0) {
      if (hit) {
        tp++;
        const v = (p.sigma[i]! * profile.tpWeight) / MAX_TP;
        best.set(w, Math.max(best.get(w) ?? -Infinity, v));
      } else fn++;
    } else if (hit) {
      fp++;
      fpSum += p.sigma[i]! * profile.fpWeight;
    } else tn++;
  }
  let score = fpSum - (p.scoredWindows - best.size) * profile.fnWeight;
  for (const v of best.values()) score += v;
  return { threshold, score, tp, fp, fn, tn };
}

export interface CorpusEntry {
  prepared: PreparedSeries;
  scores: ArrayLike<number>;
}

export interface OptimisedScore {
  threshold: number;
  raw: number;
  /** 100·(raw - null)/(perfect - null). */
  normalized: number;
  nullScore: number;
  perfectScore: number;
}

export function nullAndPerfect(corpus: CorpusEntry[], profile: CostProfile): { nullScore: number; perfectScore: number } {
  const windows = corpus.reduce((s, c) => s + c.prepared.scoredWindows, 0);
  return { nullScore: -windows * profile.fnWeight, perfectScore: windows * profile.tpWeight };
}

export function normalize(raw: number, nullScore: number, perfectScore: number): number {
  return (100 * (raw - nullScore)) / (perfectScore - nullScore);
}

/**
 * Exhaustive threshold sweep over every distinct anomaly score in the corpus
 * (NAB's own optimiser is a local search over the same objective, so this is
 * its upper bound). Rows are taken in descending score order; a window's value
 * is its best (earliest) detection, FPs add up. Ties break toward the higher
 * threshold, i.e. fewer detections.
 */
export function optimizeThreshold(corpus: CorpusEntry[], profile: CostProfile): OptimisedScore {
  const { nullScore, perfectScore } = nullAndPerfect(corpus, profile);
  let total = 0;
  for (const c of corpus) total += c.prepared.n - c.prepared.probation;
  const sc = new Float64Array(total);
  const delta = new Float64Array(total); // FP contribution, or NaN for in-window rows
  const win = new Int32Array(total); // global window id
  let k = 0;
  let windowBase = 0;
  for (const c of corpus) {
    const p = c.prepared;
    if (c.scores.length !== p.n) throw new Error(`${p.name}: ${c.scores.length} scores for ${p.n} rows`);
    for (let i = p.probation; i < p.n; i++, k++) {
      sc[k] = c.scores[i]!;
      const w = p.windowOf[i]!;
      win[k] = w >= 0 ? windowBase + w : -1;
      delta[k] = w >= 0 ? (p.sigma[i]! * profile.tpWeight) / MAX_TP : p.sigma[i]! * profile.fpWeight;
    }
    windowBase += p.windowCount;
  }
  const order = Array.from({ length: total }, (_, i) => i).sort((a, b) => sc[b]! - sc[a]!);
  const best = new Float64Array(windowBase).fill(NaN);
  let score = nullScore;
  let bestScore = score;
  let bestThreshold = Infinity;
  for (let j = 0; j < total; ) {
    const thr = sc[order[j]!]!;
    // Consume every row tied at this score before evaluating the threshold.
    for (; j < total && sc[order[j]!] === thr; j++) {
      const r = order[j]!;
      const w = win[r]!;
      if (w < 0) score += delta[r]!;
      else if (Number.isNaN(best[w]!)) {
        best[w] = delta[r]!;
        score += profile.fnWeight + delta[r]!;
      } else if (delta[r]! > best[w]!) {
        score += delta[r]! - best[w]!;
        best[w] = delta[r]!;
      }
    }
    if (score > bestScore + 1e-12) {
      bestScore = score;
      bestThreshold = thr;
    }
  }
  return { threshold: bestThreshold, raw: bestScore, normalized: normalize(bestScore, nullScore, perfectScore), nullScore, perfectScore };
}

/** Score the corpus at a fixed threshold (e.g. one optimised elsewhere). */
export function scoreCorpus(corpus: CorpusEntry[], profile: CostProfile, threshold: number): OptimisedScore {
  const { nullScore, perfectScore } = nullAndPerfect(corpus, profile);
  const raw = corpus.reduce((s, c) => s + scoreSeries(c.prepared, c.scores, threshold, profile).score, 0);
  return { threshold, raw, normalized: normalize(raw, nullScore, perfectScore), nullScore, perfectScore };
}

function lowerBound(a: number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
