import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readEdf } from '@bci/streams/edf';
import { annotationToMarker, defaultAnnotationMap, parseAnnotationMap } from './annotations';
import { edfChunk, planEdfChunks } from './edf-chunks';

const rec = readEdf(readFileSync(join(__dirname, '../../tests/fixtures/eeg/S001R04.edf')));

describe('EDF → chunks', () => {
  it('slices every channel into ceil(samples / chunk) float32 chunks, last one shorter', () => {
    const plan = planEdfChunks(rec, 100);
    expect(plan).toMatchObject({ fsHz: 160, chunkSamples: 16, totalSamples: 20000, nChunks: 1250 });
    expect(plan.channels).toHaveLength(64);
    const c = edfChunk(rec, plan, 3, 'hs-1', 10, 1_000_000);
    expect(c).toMatchObject({ deviceId: 'hs-1', seq: 10, t0Us: 1_000_000 + 300_000, fsHz: 160, nSamples: 16 });
    expect(c.samples[5 * 16 + 2]).toBe(Math.fround(rec.signals[5].samples[3 * 16 + 2]));
    const odd = planEdfChunks(rec, 150); // 24 samples
    expect(odd.nChunks).toBe(Math.ceil(20000 / 24));
    expect(edfChunk(rec, odd, odd.nChunks - 1, 'hs-1', 0, 0).nSamples).toBe(20000 - 24 * (odd.nChunks - 1));
    expect(() => edfChunk(rec, odd, odd.nChunks, 'hs-1', 0, 0)).toThrow(RangeError);
  });
});

describe('annotations → markers', () => {
  it('maps by EEGMMIDB run', () => {
    expect(defaultAnnotationMap('S001R04.edf')).toEqual({ T0: 'cue_rest', T1: 'cue_left', T2: 'cue_right' });
    expect(defaultAnnotationMap('/data/S009R10.edf')).toEqual({ T0: 'cue_rest', T2: 'cue_feet' });
    expect(defaultAnnotationMap('S001R01.edf')).toEqual({ T0: 'cue_rest' });
    expect(parseAnnotationMap('T1=cue_feet, X=text', { T0: 'cue_rest' })).toEqual({ T0: 'cue_rest', T1: 'cue_feet', X: 'text' });
  });
  it('turns the 30 annotations of S001R04 into markers; unmapped ones become text', () => {
    const map = defaultAnnotationMap('S001R04.edf');
    const markers = rec.annotations.map((a) => annotationToMarker(a, 'hs-1', 5e15, map));
    expect(markers).toHaveLength(30);
    expect(markers[1]).toEqual({ deviceId: 'hs-1', timeUs: 5e15 + 4_200_000, code: 'cue_right', label: 'T2', durationS: 4.1 });
    expect(new Set(markers.map((m) => m.code))).toEqual(new Set(['cue_rest', 'cue_left', 'cue_right']));
    expect(annotationToMarker({ onsetS: 1, durationS: 0, text: 'eyes closed' }, 'hs-1', 0, map)).toEqual({ deviceId: 'hs-1', timeUs: 1e6, code: 'text', label: 'eyes closed' });
  });
});
