// A cue-based motor-imagery paradigm (Graz/BCI2000 style): each trial is a rest/fixation
// period, then a cue for the imagery period, then a randomised inter-trial pause. Classes are
// drawn in shuffled blocks so every block of N trials holds each class once (balanced), and a
// seed fixes the order. Events carry sample indexes; the caller turns them into device time.
import { Rng } from './random';
import type { MiCue } from './eeg';

export interface CueScheduleOptions {
  fsHz: number;
  seed?: number;
  classes?: readonly MiCue[];
  /** Fixation before the cue, seconds (default 2). */
  restS?: number;
  /** Imagery period, seconds (default 4). */
  cueS?: number;
  /** Pause between trials, uniform in [min, max] seconds (default [1.5, 2.5]). */
  itiS?: readonly [number, number];
  /** Start of the first trial, seconds (default 1). */
  firstTrialS?: number;
  /** Emit a cue_rest marker for each inter-trial pause (default true). */
  restMarkers?: boolean;
}

/** The marker codes a schedule emits (a subset of the wire contract's MarkerCode). */
export type CueEventCode = 'trial_start' | 'trial_end' | 'cue_left' | 'cue_right' | 'cue_feet' | 'cue_rest';

export interface CueEvent {
  sample: number;
  code: CueEventCode;
  label: string;
  durationS?: number;
  /** For cue_left/right/feet: the imagery class; for trial_end: null (imagery stops). */
  cue?: MiCue | null;
  trial: number;
}

const CUE_LABEL: Record<MiCue, string> = { left: 'left hand imagery', right: 'right hand imagery', feet: 'feet imagery' };

export class CueSchedule {
  readonly fsHz: number;
  private readonly rng: Rng;
  private readonly classes: readonly MiCue[];
  private readonly restS: number;
  private readonly cueS: number;
  private readonly itiS: readonly [number, number];
  private readonly restMarkers: boolean;
  private block: MiCue[] = [];
  private pending: CueEvent[] = [];
  private nextTrialSample: number;
  private trial = 0;

  constructor(o: CueScheduleOptions) {
    this.fsHz = o.fsHz;
    this.rng = new Rng(o.seed ?? 1);
    this.classes = o.classes ?? ['left', 'right'];
    if (this.classes.length === 0) throw new RangeError('at least one cue class is needed');
    this.restS = o.restS ?? 2;
    this.cueS = o.cueS ?? 4;
    this.itiS = o.itiS ?? [1.5, 2.5];
    this.restMarkers = o.restMarkers ?? true;
    this.nextTrialSample = Math.round((o.firstTrialS ?? 1) * this.fsHz);
  }

  /** Removes and returns the events with sample < endSample, in order. Call with increasing ends. */
  take(endSample: number): CueEvent[] {
    while (this.nextTrialSample < endSample) this.planTrial();
    let k = 0;
    while (k < this.pending.length && this.pending[k].sample < endSample) k++;
    return this.pending.splice(0, k);
  }

  private planTrial(): void {
    if (this.block.length === 0) this.block = this.rng.shuffle([...this.classes]);
    const cue = this.block.pop()!;
    const trial = ++this.trial;
    const start = this.nextTrialSample;
    const cueAt = start + Math.round(this.restS * this.fsHz);
    const end = cueAt + Math.round(this.cueS * this.fsHz);
    const [lo, hi] = this.itiS;
    const itiS = Math.round((lo + this.rng.uniform() * (hi - lo)) * this.fsHz) / this.fsHz;
    this.pending.push(
      { sample: start, code: 'trial_start', label: `trial ${trial}`, durationS: this.restS + this.cueS, trial },
      { sample: cueAt, code: `cue_${cue}`, label: CUE_LABEL[cue], durationS: this.cueS, cue, trial },
      { sample: end, code: 'trial_end', label: `trial ${trial}`, cue: null, trial },
    );
    if (this.restMarkers) this.pending.push({ sample: end, code: 'cue_rest', label: 'rest', durationS: itiS, trial });
    this.nextTrialSample = end + Math.round(itiS * this.fsHz);
  }
}
