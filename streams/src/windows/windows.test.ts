import * as fs from 'node:fs';
import * as path from 'node:path';
import { readEdf } from '../edf';
import { Epocher, RingBuffer, SlidingWindow, checkEpoch, epochRecording, peakToPeak, rejectEpochs } from './index';

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Channel c sample i = c*1e6 + i: every value identifies its own position. */
const ramp = (nCh: number, n: number, offset = 0) =>
  Array.from({ length: nCh }, (_, c) => Float64Array.from({ length: n }, (_, i) => c * 1e6 + offset + i));

/** Split a recording into chunks of random sizes (including 0 and > any window). */
function chunks(data: Float64Array[], rnd: () => number, maxLen: number): Float64Array[][] {
  const out: Float64Array[][] = [];
  let pos = 0;
  while (pos < data[0].length) {
    const len = Math.min(Math.floor(rnd() * maxLen), data[0].length - pos);
    out.push(data.map((ch) => ch.subarray(pos, pos + len)));
    pos += len;
  }
  return out;
}

describe('RingBuffer', () => {
  it('keeps the newest capacity samples across wrap-around, addressed by absolute index', () => {
    const rb = new RingBuffer(2, 5);
    rb.push(ramp(2, 3));
    rb.push(ramp(2, 4, 3));
    expect(rb.totalPushed).toBe(7);
    expect(rb.length).toBe(5);
    expect(rb.firstIndex).toBe(2);
    expect(Array.from(rb.read(2, 7)[1])).toEqual([1e6 + 2, 1e6 + 3, 1e6 + 4, 1e6 + 5, 1e6 + 6]);
    expect(Array.from(rb.latest(2)[0])).toEqual([5, 6]);
    expect(() => rb.read(1, 3)).toThrow(/sample 1 was overwritten \(oldest held is 2\)/);
    expect(() => rb.read(5, 8)).toThrow(/sample 7 has not arrived yet/);
  });

  it('accepts a chunk larger than its capacity', () => {
    const rb = new RingBuffer(1, 4);
    rb.push(ramp(1, 2));
    rb.push(ramp(1, 11, 2));
    expect(rb.totalPushed).toBe(13);
    expect(Array.from(rb.read(9, 13)[0])).toEqual([9, 10, 11, 12]);
  });

  it('rejects mismatched chunks', () => {
    const rb = new RingBuffer(2, 4);
    expect(() => rb.push([new Float64Array(2)])).toThrow(/expected 2 channels/);
    expect(() => rb.push([new Float64Array(2), new Float64Array(3)])).toThrow(/channel 1 has 3 samples/);
  });
});

describe('SlidingWindow', () => {
  const n = 1000;
  const data = ramp(3, n);

  it.each([
    [160, 16],
    [100, 100],
    [50, 80], // hop longer than the window: gaps between windows
    [1, 1],
  ])('window %i step %i: every complete window exactly once, independent of chunking', (win, step) => {
    const expectedEnds: number[] = [];
    for (let end = win - 1; end < n; end += step) expectedEnds.push(end);
    for (const seed of [1, 2, 3]) {
      const sw = new SlidingWindow(3, win, step);
      const got = chunks(data, seeded(seed), 2.5 * win + 3).flatMap((ch) => sw.push(ch));
      expect(got.map((w) => w.endIndex)).toEqual(expectedEnds);
      for (const w of got) {
        expect(w.startIndex).toBe(w.endIndex - win + 1);
        // ramp values identify positions: window holds exactly its samples.
        expect(w.data[2][0]).toBe(2e6 + w.startIndex);
        expect(w.data[2][win - 1]).toBe(2e6 + w.endIndex);
        expect(w.data[0]).toHaveLength(win);
      }
    }
  });

  it('fromSeconds rounds to samples', () => {
    const sw = SlidingWindow.fromSeconds(1, 160, 2, 0.1);
    expect([sw.windowSamples, sw.stepSamples]).toEqual([320, 16]);
  });
});

describe('artifact rejection', () => {
  it('reports channel, criterion, value and threshold for every violation', () => {
    const good = Float64Array.from({ length: 100 }, (_, i) => 20 * Math.sin(i / 5));
    const flat = new Float64Array(100).fill(3);
    const spike = good.slice();
    spike[50] = 400;
    const reasons = checkEpoch([good, flat, spike], { peakToPeakMax: 150, flatMin: 1 }, ['C3', 'Cz', 'C4']);
    expect(reasons).toEqual([
      { channel: 1, channelLabel: 'Cz', criterion: 'flatMin', value: 0, threshold: 1 },
      { channel: 2, channelLabel: 'C4', criterion: 'peakToPeakMax', value: peakToPeak([spike])[0], threshold: 150 },
    ]);
    expect(peakToPeak([spike])[0]).toBeCloseTo(400 + 20 * Math.max(...good.map((v) => -v / 20)), 6);
    expect(checkEpoch([good], { peakToPeakMax: 150, flatMin: 1 })).toEqual([]);
    // Per-channel thresholds and NaN handling.
    expect(checkEpoch([good, good], { peakToPeakMax: [100, 10] }).map((r) => r.channel)).toEqual([1]);
    // A NaN sample (e.g. a dropped packet) must not let the epoch through.
    expect(checkEpoch([good, Float64Array.of(1, NaN)], { peakToPeakMax: 100 })).toMatchObject([{ channel: 1, value: NaN }]);
  });

  it('rejectEpochs splits kept and rejected with input indices', () => {
    const e = (v: number) => ({ data: [Float64Array.of(0, v)] });
    const res = rejectEpochs([e(10), e(500), e(0), e(20)], { peakToPeakMax: 100, flatMin: 0.5 });
    expect(res.kept.map((x) => x.data[0][1])).toEqual([10, 20]);
    expect(res.rejected.map((r) => [r.index, r.reasons[0].criterion])).toEqual([
      [1, 'peakToPeakMax'],
      [2, 'flatMin'],
    ]);
  });
});

describe('Epocher', () => {
  const fsHz = 100;
  const n = 3000;
  const rnd = seeded(11);
  const data = Array.from({ length: 4 }, (_, c) => Float64Array.from({ length: n }, () => 100 * (rnd() - 0.5) + 10 * c));
  const events = [5, 120, 121, 900, 1500, 2950, 2990].map((sample, i) => ({ sample, label: i % 2 ? 'T1' : 'T2' }));
  const opts = { fsHz, tminSec: -0.2, tmaxSec: 0.5, baseline: [null, 0] as [null, number], reject: { peakToPeakMax: 200 } };

  it('offline: [tmin, tmax) geometry, baseline subtraction, skipped events', () => {
    const { epochs, skipped } = epochRecording(data, events, opts);
    expect(skipped.map((s) => [s.event.sample, s.reason])).toEqual([
      [5, 'before-start'],
      [2990, 'after-end'],
    ]);
    // 2950 + [-0.2, 0.5) s ends exactly on the last sample, so it fits.
    expect(epochs.map((e) => e.eventSample)).toEqual([120, 121, 900, 1500, 2950]);
    const e = epochs[2];
    expect(e.startSample).toBe(880);
    expect(e.data[0]).toHaveLength(70);
    // Baseline = mean over [-0.2, 0] s inclusive = 21 samples.
    const raw = data[3].subarray(880, 950);
    const mean = raw.subarray(0, 21).reduce((s, v) => s + v, 0) / 21;
    expect(e.data[3][10]).toBeCloseTo(raw[10] - mean, 10);
    expect(e.data[3].subarray(0, 21).reduce((s, v) => s + v, 0)).toBeCloseTo(0, 8);
    expect(e.rejected).toEqual([]);
    expect(e.label).toBe('T1'); // events[3]
  });

  it('includeTmax gives MNE-style inclusive epochs', () => {
    const { epochs } = epochRecording(data, [{ sample: 500 }], { fsHz, tminSec: 0.5, tmaxSec: 2.5, includeTmax: true });
    expect(epochs[0].data[0]).toHaveLength(201);
    expect(epochs[0].startSample).toBe(550);
  });

  it('online gives the same epochs as offline for any chunking, emitting once tmax has arrived', () => {
    const offline = epochRecording(data, events, opts).epochs;
    for (const seed of [4, 5]) {
      const ep = new Epocher(4, opts);
      const got: ReturnType<Epocher['push']> = [];
      let received = 0;
      let nextEvent = 0;
      for (const chunk of chunks(data, seeded(seed), 97)) {
        // Markers arrive once their own sample has arrived (typical marker latency).
        const emitted = ep.push(chunk);
        received += chunk[0].length;
        for (const e of emitted) expect(e.startSample + e.data[0].length).toBeLessThanOrEqual(received);
        got.push(...emitted);
        while (nextEvent < events.length && events[nextEvent].sample < received) got.push(...ep.addEvent(events[nextEvent++]));
      }
      expect(got.map((e) => e.eventSample)).toEqual(offline.map((e) => e.eventSample));
      got.forEach((e, i) => {
        expect(e.startSample).toBe(offline[i].startSample);
        e.data.forEach((ch, c) => expect(Array.from(ch)).toEqual(Array.from(offline[i].data[c])));
      });
      expect(ep.takeSkipped().map((s) => s.reason)).toEqual(['before-start']);
    }
  });

  it('marks rejected epochs with the reason and reports evicted late markers', () => {
    const spiky = data.map((ch) => ch.slice());
    spiky[1][905] = 1000;
    const ep = new Epocher(4, { ...opts, channelLabels: ['a', 'b', 'c', 'd'], bufferSec: 2 });
    ep.push(spiky.map((ch) => ch.subarray(0, 1000)));
    const [e] = ep.addEvent({ sample: 900 });
    expect(e.rejected).toHaveLength(1);
    expect(e.rejected[0]).toMatchObject({ channel: 1, channelLabel: 'b', criterion: 'peakToPeakMax', threshold: 200 });
    expect(e.rejected[0].value).toBeGreaterThan(900);
    ep.push(spiky.map((ch) => ch.subarray(1000, 2000)));
    expect(ep.addEvent({ sample: 950 })).toEqual([]);
    expect(ep.takeSkipped()).toEqual([{ event: { sample: 950 }, reason: 'evicted' }]);
  });

  it('validates the layout', () => {
    expect(() => new Epocher(1, { fsHz, tminSec: 1, tmaxSec: 0 })).toThrow(/must be > tminSec/);
    expect(() => new Epocher(1, { fsHz, tminSec: 0, tmaxSec: 1, baseline: [-0.5, 0] })).toThrow(/baseline/);
  });

  it('cuts 2 s motor-imagery epochs from the real S001R04 fixture', () => {
    const rec = readEdf(fs.readFileSync(path.resolve(__dirname, '../../../tests/fixtures/eeg/S001R04.edf')));
    const fs160 = rec.signals[0].fsHz;
    const evs = rec.annotations.filter((a) => a.text !== 'T0').map((a) => ({ sample: Math.round(a.onsetS * fs160), label: a.text }));
    const { epochs, skipped } = epochRecording(
      rec.signals.map((s) => s.samples),
      evs,
      { fsHz: fs160, tminSec: 0.5, tmaxSec: 2.5, reject: { peakToPeakMax: 800, flatMin: 1 } },
    );
    expect(skipped).toEqual([]);
    expect(epochs).toHaveLength(15);
    for (const e of epochs) {
      expect(e.data).toHaveLength(64);
      expect(e.data[0]).toHaveLength(320);
      expect(e.data[10][0]).toBe(rec.signals[10].samples[e.eventSample + 80]);
    }
    expect(epochs.filter((e) => e.rejected.length === 0).length).toBeGreaterThan(10);
  });
});
