// Plans replays of PhysioNet fixture runs back to back on one device clock and one seq
// counter, as one headset recording several runs in a row would.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readEdf, type EdfRecording } from '@bci/streams/edf';

export const FIXTURES_EEG = join(__dirname, '../fixtures/eeg');
/** replayEdf's default chunk: 100 ms at 160 Hz. */
export const REPLAY_CHUNK = 16;

export interface Run {
  rec: EdfRecording;
  name: string;
  nSamples: number;
  nChunks: number;
  startUs: number;
  /** One sample period after the run's last sample: where the next run starts. */
  endUs: number;
  seqStart: number;
}

export function planRuns(names: string[], t0Us: number, fsHz = 160, chunk = REPLAY_CHUNK): Run[] {
  let startUs = t0Us;
  let seq = 0;
  return names.map((name) => {
    const rec = readEdf(readFileSync(join(FIXTURES_EEG, name)));
    const nSamples = Math.min(...rec.signals.map((s) => s.samples.length));
    const endUs = startUs + Math.round((nSamples * 1e6) / fsHz);
    const run = { rec, name, nSamples, nChunks: Math.ceil(nSamples / chunk), startUs, endUs, seqStart: seq };
    startUs = endUs;
    seq += run.nChunks;
    return run;
  });
}
