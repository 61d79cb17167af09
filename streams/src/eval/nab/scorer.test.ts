import { NAB_PROFILES, optimizeThreshold, prepareSeries, probationLength, scaledSigmoid, scoreCorpus, scoreSeries } from './scorer';

// Toy series: 20 one-minute rows 0..19, one labelled window covering rows 10..13
// (width 4). Probation = floor(0.15·20) = 3 rows (0..2), which are never scored.
const MIN = 60_000;
const ts = Array.from({ length: 20 }, (_, i) => i * MIN);
const prepared = prepareSeries({ name: 'toy', timestamps: ts, windows: [[10 * MIN, 13 * MIN]] });
const S = NAB_PROFILES.standard;
const at = (rows: Record<number, number>): number[] => ts.map((_, i) => rows[i] ?? 0);
const raw = (rows: Record<number, number>, profile = S) => scoreSeries(prepared, at(rows), 0.5, profile).score;

// Hand values (sig(x) = 1/(1+e^-x), scaledSigmoid(x) = 2·sig(-5x) - 1):
//   maxTP = scaledSigmoid(-1) = 2/(1+e^-5) - 1 = 0.98661430
//   row 12: position -(13-12+1)/4 = -0.5 → 2/(1+e^-2.5) - 1 = 0.84828364; / maxTP = 0.85979257
//   row 11: position -0.75 → 0.95404152 / maxTP = 0.96698909
//   FP row 14: |14-13|/(4-1) = 1/3 → 2/(1+e^(5/3)) - 1 = -0.68226179; ·0.11 = -0.07504880
//   FP row 15: 2/3 → -0.93110961 · 0.11 = -0.10242206
//   FP row 16: 1   → -0.98661430 · 0.11 = -0.10852757
//   FP before any window → scaledSigmoid(3) = -1 → -0.11
describe('NAB scorer, hand-worked cases', () => {
  it('scaled sigmoid anchors', () => {
    expect(scaledSigmoid(-1)).toBeCloseTo(0.98661430, 8);
    expect(scaledSigmoid(0)).toBe(0);
    expect(scaledSigmoid(3)).toBe(-1);
    expect(probationLength(20)).toBe(3);
    expect(probationLength(100_000)).toBe(750);
  });

  it('null detector scores -fnWeight per window', () => {
    expect(raw({})).toBe(-1);
    expect(raw({}, NAB_PROFILES.reward_low_FN_rate)).toBe(-2);
  });

  it('detection at the very first window row earns exactly tpWeight', () => {
    expect(raw({ 10: 1 })).toBeCloseTo(1, 12);
  });

  it('later detections earn less; only the earliest in a window counts', () => {
    expect(raw({ 12: 1 })).toBeCloseTo(0.85979257, 7);
    expect(raw({ 11: 1, 12: 1, 13: 1 })).toBeCloseTo(0.96698909, 7);
  });

  it('false positives are weighted by distance past the previous window, or full cost before any', () => {
    expect(raw({ 10: 1, 14: 1 })).toBeCloseTo(1 - 0.0750488, 7);
    expect(raw({ 10: 1, 15: 1 })).toBeCloseTo(1 - 0.10242206, 7);
    expect(raw({ 10: 1, 5: 1 })).toBeCloseTo(1 - 0.11, 12);
    expect(raw({ 10: 1, 5: 1 }, NAB_PROFILES.reward_low_FP_rate)).toBeCloseTo(1 - 0.22, 12);
  });

  it('ignores the probationary rows', () => {
    expect(raw({ 0: 1, 1: 1, 2: 1, 10: 1 })).toBeCloseTo(1, 12);
    expect(raw({ 3: 1, 10: 1 })).toBeCloseTo(0.89, 12);
  });

  // Scores: row 5 = 0.9 (FP before window), row 12 = 0.6 (TP), row 16 = 0.3 (FP after).
  //   threshold ∞   : -1                              (null)
  //   threshold 0.9 : -1 - 0.11            = -1.11
  //   threshold 0.6 : -0.11 + 0.85979257   =  0.74979257  ← best (standard)
  //   threshold 0.3 :  0.74979257 - 0.10852757 = 0.64126499
  // normalised = 100·(raw - null)/(perfect - null) = 100·(0.74979257 + 1)/2 = 87.4896
  // low-FP (fp 0.22): 0.85979257 - 0.22 = 0.63979257 → 100·1.63979257/2 = 81.9896
  // low-FN (fn 2): same raw 0.74979257, null = -2 → 100·2.74979257/3 = 91.6598
  const scores = at({ 5: 0.9, 12: 0.6, 16: 0.3 });
  it.each([
    ['standard', 0.74979257, 87.48963],
    ['reward_low_FP_rate', 0.63979257, 81.98963],
    ['reward_low_FN_rate', 0.74979257, 91.65975],
  ] as const)('threshold optimisation, %s profile', (name, rawBest, norm) => {
    const r = optimizeThreshold([{ prepared, scores }], NAB_PROFILES[name]);
    expect(r.threshold).toBe(0.6);
    expect(r.raw).toBeCloseTo(rawBest, 7);
    expect(r.normalized).toBeCloseTo(norm, 4);
    expect(scoreCorpus([{ prepared, scores }], NAB_PROFILES[name], r.threshold).raw).toBeCloseTo(r.raw, 12);
  });

  it('null and perfect detectors normalise to 0 and 100 over a corpus', () => {
    const second = prepareSeries({ name: 'b', timestamps: ts, windows: [[5 * MIN, 6 * MIN], [15 * MIN, 18 * MIN]] });
    // NAB's null detector emits a constant 0.5 and is scored at threshold 0.625 (never fires).
    const constant = (p: typeof prepared) => new Array<number>(p.n).fill(0.5);
    const perfect = (p: typeof prepared) => Array.from({ length: p.n }, (_, i) => (p.windowOf[i]! >= 0 && (i === 0 || p.windowOf[i - 1] !== p.windowOf[i]) ? 1 : 0));
    for (const name of ['standard', 'reward_low_FP_rate', 'reward_low_FN_rate'] as const) {
      const nul = scoreCorpus([{ prepared, scores: constant(prepared) }, { prepared: second, scores: constant(second) }], NAB_PROFILES[name], 0.625);
      expect(nul.normalized).toBeCloseTo(0, 12);
      const per = optimizeThreshold([{ prepared, scores: perfect(prepared) }, { prepared: second, scores: perfect(second) }], NAB_PROFILES[name]);
      expect(per.normalized).toBeCloseTo(100, 10);
    }
  });

  it('a window inside the probation period is not counted', () => {
    const p = prepareSeries({ name: 'early', timestamps: ts, windows: [[0, 2 * MIN]] });
    expect(p.scoredWindows).toBe(0);
    expect(scoreSeries(p, at({}), 0.5, S).score).toBe(0);
  });
});
