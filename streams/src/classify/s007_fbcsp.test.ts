// FBCSP needs a subject it can separate to show it beats chance: S001 is not one (see
// s001.test.ts), S007 is (reference-protocol CV 0.91 in tests/eval/results). Cross-run =
// train on runs 4+8, test on run 12; ≥ 12/15 has p ≈ 0.018 against chance (binomial).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readEdf } from '../edf';
import { LEFT_RIGHT_CODES, miEpochsFromRecording } from '../eval/miData';
import { FbcspLda } from './fbcspLda';

const FIX = path.join(__dirname, '../../../tests/fixtures/eeg');

function load(run: number) {
  const rec = readEdf(new Uint8Array(fs.readFileSync(path.join(FIX, `S007R${String(run).padStart(2, '0')}.edf`))));
  // Wide-band windows with 0.5 s margins: FBCSP filters each sub-band itself.
  return miEpochsFromRecording(rec, { band: null, order: 4, padlen: 80, tminS: 0, tmaxS: 3, codes: LEFT_RIGHT_CODES });
}

describe('S007 motor imagery, filter-bank CSP (cross-run 4+8 → 12)', () => {
  it('classifies left vs right fist imagery well above chance', () => {
    const [r4, r8, r12] = [4, 8, 12].map(load);
    const clf = new FbcspLda({ fsHz: 160, marginS: 0.5 }).fit([...r4.epochs, ...r8.epochs], [...r4.labels, ...r8.labels]);
    const correct = r12.epochs.filter((e, i) => clf.predict(e) === r12.labels[i]).length;
    expect(r12.epochs).toHaveLength(15);
    expect(correct).toBeGreaterThanOrEqual(12);
  });
});
