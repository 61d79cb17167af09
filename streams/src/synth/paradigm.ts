// Couples a SyntheticEeg to a CueSchedule: imagery (and its ERD) starts and stops on the exact
// sample of each cue, not at chunk boundaries, so the signal is independent of the chunk size.
import type { SyntheticEeg } from './eeg';
import type { CueEvent, CueSchedule } from './schedule';

export interface ParadigmChunk {
  samples: Float32Array;
  /** Events inside this chunk (sample indexes are absolute, from the session start). */
  events: CueEvent[];
}

export class ParadigmEeg {
  private sample = 0;

  constructor(
    readonly eeg: SyntheticEeg,
    readonly schedule: CueSchedule,
  ) {
    if (eeg.fsHz !== schedule.fsHz) throw new RangeError(`EEG at ${eeg.fsHz} Hz but schedule at ${schedule.fsHz} Hz`);
  }

  /** Samples produced so far. */
  get position(): number {
    return this.sample;
  }

  next(nSamples: number): ParadigmChunk {
    const start = this.sample;
    const end = start + nSamples;
    const events = this.schedule.take(end);
    const nCh = this.eeg.channels.length;
    const out = new Float32Array(nCh * nSamples);
    let at = start;
    const render = (until: number) => {
      if (until <= at) return;
      const part = this.eeg.next(until - at);
      const len = until - at;
      for (let c = 0; c < nCh; c++) out.set(part.subarray(c * len, (c + 1) * len), c * nSamples + (at - start));
      at = until;
    };
    for (const ev of events) {
      if (ev.cue === undefined) continue;
      render(ev.sample);
      this.eeg.setCue(ev.cue);
    }
    render(end);
    this.sample = end;
    return { samples: out, events };
  }
}
