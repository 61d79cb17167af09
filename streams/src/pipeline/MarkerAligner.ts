// Live accuracy during a cued session: every cue marker opens a trial; the predictions whose
// window ends inside [cue + fromSec, cue + toSec] vote (majority, or mean probability) and the
// decision is compared with the cue. Markers and predictions may arrive in either order (they
// travel on different streams), so recent predictions are kept for a late marker.
import type { TrialResultView } from '@bci/shared';
import type { Prediction } from './EegStreamProcessor';

export type TrialDecision = 'majority' | 'mean-probability';

export interface MarkerAlignerOptions {
  fromSec?: number;
  toSec?: number;
  decision?: TrialDecision;
  /** Cue marker code → class label of the model. */
  cueLabels?: Record<string, string>;
  /** How long predictions are kept for markers that arrive late (device seconds). Default 30. */
  bufferSec?: number;
}

export interface CueMarker {
  timeUs: number;
  code: string;
}

/** A scored trial: the wire contract's view of it (shared/src/pipeline.ts). */
export type TrialResult = TrialResultView;

export interface LiveAccuracy {
  correct: number;
  total: number;
  /** correct / total, null before the first scored trial. */
  accuracy: number | null;
  last?: TrialResult;
}

export const DEFAULT_CUE_LABELS: Readonly<Record<string, string>> = { cue_left: 'left', cue_right: 'right', cue_feet: 'feet' };

type WindowPrediction = Pick<Prediction, 'windowEndUs' | 'label' | 'classes' | 'probabilities'>;

export class MarkerAligner {
  private readonly fromUs: number;
  private readonly toUs: number;
  private readonly decision: TrialDecision;
  private readonly cueLabels: Record<string, string>;
  private readonly bufferUs: number;
  private predictions: WindowPrediction[] = [];
  private open: CueMarker[] = [];
  private latestUs = -Infinity;
  private correct = 0;
  private total = 0;
  private last: TrialResult | undefined;

  constructor(o: MarkerAlignerOptions = {}) {
    this.fromUs = Math.round((o.fromSec ?? 0.5) * 1e6);
    this.toUs = Math.round((o.toSec ?? 4) * 1e6);
    this.decision = o.decision ?? 'majority';
    this.cueLabels = { ...(o.cueLabels ?? DEFAULT_CUE_LABELS) };
    this.bufferUs = Math.round((o.bufferSec ?? 30) * 1e6);
  }

  get summary(): LiveAccuracy {
    return { correct: this.correct, total: this.total, accuracy: this.total ? this.correct / this.total : null, last: this.last };
  }

  /** A marker; cue markers this aligner knows open a trial. Returns trials this completes. */
  addMarker(m: CueMarker): TrialResult[] {
    if (!(m.code in this.cueLabels)) return [];
    this.open.push(m);
    this.open.sort((a, b) => a.timeUs - b.timeUs);
    return this.closeDue();
  }

  /** A prediction (in window order). Returns the trials it completes. */
  addPrediction(p: WindowPrediction): TrialResult[] {
    this.predictions.push(p);
    if (p.windowEndUs > this.latestUs) this.latestUs = p.windowEndUs;
    const keepFrom = this.latestUs - this.bufferUs;
    if (this.predictions[0].windowEndUs < keepFrom) this.predictions = this.predictions.filter((q) => q.windowEndUs >= keepFrom);
    return this.closeDue();
  }

  /** A trial is complete once a window ending after its range has been seen. */
  private closeDue(): TrialResult[] {
    const done: TrialResult[] = [];
    while (this.open.length && this.open[0].timeUs + this.toUs < this.latestUs) {
      const cue = this.open.shift()!;
      const r = this.score(cue);
      if (r.decided !== null) {
        this.total++;
        if (r.correct) this.correct++;
        this.last = r;
      }
      done.push(r);
    }
    return done;
  }

  private score(cue: CueMarker): TrialResult {
    const expected = this.cueLabels[cue.code];
    const lo = cue.timeUs + this.fromUs;
    const hi = cue.timeUs + this.toUs;
    // Only windows of models that can say `expected` are judged (a left/right model says nothing about feet).
    const windows = this.predictions.filter((p) => p.windowEndUs >= lo && p.windowEndUs <= hi && p.classes.includes(expected));
    const votes: Record<string, number> = {};
    const sums: Record<string, number> = {};
    for (const p of windows) {
      votes[p.label] = (votes[p.label] ?? 0) + 1;
      p.classes.forEach((c, i) => (sums[c] = (sums[c] ?? 0) + p.probabilities[i]));
    }
    const meanProbabilities: Record<string, number> = {};
    for (const c of Object.keys(sums).sort()) meanProbabilities[c] = sums[c] / windows.length;
    let decided: string | null = null;
    if (windows.length) {
      const byMean = (a: string, b: string) => (meanProbabilities[b] ?? 0) - (meanProbabilities[a] ?? 0) || (a < b ? -1 : 1);
      const classes = Object.keys(meanProbabilities);
      // Majority vote; a tie is broken by the mean probability.
      if (this.decision === 'majority') classes.sort((a, b) => (votes[b] ?? 0) - (votes[a] ?? 0) || byMean(a, b));
      else classes.sort(byMean);
      decided = classes[0];
    }
    return { cueUs: cue.timeUs, code: cue.code, expected, decided, correct: decided === expected, nWindows: windows.length, votes, meanProbabilities };
  }
}
