import { welchPsd, integratePsd } from '../features';
import { CueSchedule, MONTAGE_8, ParadigmEeg, SyntheticEeg, SyntheticSensor, demandFactor, type CueEvent } from './index';

const FS = 160;

function channel(samples: Float32Array, nCh: number, c: number): Float32Array {
  const n = samples.length / nCh;
  return samples.subarray(c * n, (c + 1) * n);
}

function bandPower(x: ArrayLike<number>, lo = 8, hi = 30): number {
  const { freqs, psd } = welchPsd(x, FS, { nperseg: 256 });
  return integratePsd(freqs, psd, lo, hi);
}

describe('SyntheticEeg', () => {
  it('is the same signal however it is chunked', () => {
    const a = new SyntheticEeg({ seed: 7, lineNoiseUv: 2 });
    const whole = a.next(1000);
    const b = new SyntheticEeg({ seed: 7, lineNoiseUv: 2 });
    const nCh = b.channels.length;
    const parts: Float32Array[] = [];
    for (const n of [1, 16, 333, 250, 400]) parts.push(b.next(n));
    let at = 0;
    for (const p of parts) {
      const n = p.length / nCh;
      for (let c = 0; c < nCh; c++) expect(Array.from(channel(p, nCh, c))).toEqual(Array.from(whole.subarray(c * 1000 + at, c * 1000 + at + n)));
      at += n;
    }
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const x = new SyntheticEeg({ seed: 3, channels: MONTAGE_8 }).next(200);
    expect(new SyntheticEeg({ seed: 3, channels: MONTAGE_8 }).next(200)).toEqual(x);
    expect(new SyntheticEeg({ seed: 4, channels: MONTAGE_8 }).next(200)).not.toEqual(x);
  });

  it('has amplitudes of tens of µV and posterior alpha', () => {
    const eeg = new SyntheticEeg({ seed: 1 });
    const nCh = eeg.channels.length;
    const x = eeg.next(FS * 60);
    const rms = (v: Float32Array) => Math.sqrt(v.reduce((s, y) => s + y * y, 0) / v.length);
    const oz = channel(x, nCh, eeg.channels.indexOf('Oz'));
    const fz = channel(x, nCh, eeg.channels.indexOf('Fz'));
    expect(rms(oz)).toBeGreaterThan(8);
    expect(rms(oz)).toBeLessThan(60);
    expect(bandPower(oz, 8, 12)).toBeGreaterThan(3 * bandPower(fz, 8, 12));
  });

  it('desynchronises mu/beta over the contralateral hemisphere during imagery', () => {
    // Same seed, same random stream: with vs without a left-hand cue, C4 loses 8-30 Hz power, C3 does not.
    const rest = new SyntheticEeg({ seed: 11 });
    const left = new SyntheticEeg({ seed: 11 });
    left.setCue('left');
    const nCh = rest.channels.length;
    const n = FS * 60;
    const r = rest.next(n);
    const l = left.next(n);
    const c3 = rest.channels.indexOf('C3');
    const c4 = rest.channels.indexOf('C4');
    const ratioC4 = bandPower(channel(l, nCh, c4)) / bandPower(channel(r, nCh, c4));
    const ratioC3 = bandPower(channel(l, nCh, c3)) / bandPower(channel(r, nCh, c3));
    expect(ratioC4).toBeLessThan(0.75);
    expect(ratioC3).toBeGreaterThan(0.95);
    // And within one recording, C4 has less band power than C3 while imagining the left hand.
    expect(bandPower(channel(l, nCh, c4))).toBeLessThan(0.8 * bandPower(channel(l, nCh, c3)));
  });

  it('feet imagery desynchronises Cz and right-hand imagery C3', () => {
    const base = new SyntheticEeg({ seed: 5 });
    const feet = new SyntheticEeg({ seed: 5 });
    const right = new SyntheticEeg({ seed: 5 });
    feet.setCue('feet');
    right.setCue('right');
    const nCh = base.channels.length;
    const b = base.next(FS * 40);
    const f = feet.next(FS * 40);
    const rr = right.next(FS * 40);
    const ch = (name: string) => base.channels.indexOf(name);
    expect(bandPower(channel(f, nCh, ch('Cz'))) / bandPower(channel(b, nCh, ch('Cz')))).toBeLessThan(0.75);
    expect(bandPower(channel(rr, nCh, ch('C3'))) / bandPower(channel(b, nCh, ch('C3')))).toBeLessThan(0.75);
    expect(bandPower(channel(rr, nCh, ch('C4'))) / bandPower(channel(b, nCh, ch('C4')))).toBeGreaterThan(0.95);
  });
});

describe('CueSchedule', () => {
  const collect = (s: CueSchedule, until: number, step: number) => {
    const out: CueEvent[] = [];
    for (let t = step; t <= until; t += step) out.push(...s.take(t));
    return out;
  };

  it('produces balanced, seeded trials: trial_start, cue after the rest, trial_end after the cue', () => {
    const ev = collect(new CueSchedule({ fsHz: FS, seed: 2, classes: ['left', 'right', 'feet'] }), FS * 600, 16);
    const cues = ev.filter((e) => e.code.startsWith('cue_') && e.code !== 'cue_rest');
    const trials = Math.floor(cues.length / 3) * 3;
    const counts = { cue_left: 0, cue_right: 0, cue_feet: 0 } as Record<string, number>;
    for (const c of cues.slice(0, trials)) counts[c.code]++;
    expect(counts.cue_left).toBe(trials / 3);
    expect(counts.cue_right).toBe(trials / 3);
    const t1 = ev.filter((e) => e.trial === 1);
    expect(t1.map((e) => e.code)).toEqual(['trial_start', expect.stringMatching(/^cue_(left|right|feet)$/), 'trial_end', 'cue_rest']);
    expect(t1[1].sample - t1[0].sample).toBe(2 * FS);
    expect(t1[2].sample - t1[1].sample).toBe(4 * FS);
    expect(t1[1].durationS).toBe(4);
    // Same seed, different chunking: the same events.
    expect(collect(new CueSchedule({ fsHz: FS, seed: 2, classes: ['left', 'right', 'feet'] }), FS * 600, 100)).toEqual(ev.filter((e) => e.sample < FS * 600 - (FS * 600) % 100));
  });

  it('ParadigmEeg switches the ERD on the exact cue sample, independent of chunking', () => {
    const make = () => new ParadigmEeg(new SyntheticEeg({ seed: 9, channels: MONTAGE_8 }), new CueSchedule({ fsHz: FS, seed: 9 }));
    const a = make();
    const whole = a.next(FS * 20);
    const b = make();
    const parts = [b.next(37), b.next(FS * 10), b.next(FS * 20 - 37 - FS * 10)];
    const nCh = MONTAGE_8.length;
    const n = FS * 20;
    for (let c = 0; c < nCh; c++) {
      const joined = [...channel(parts[0].samples, nCh, c), ...channel(parts[1].samples, nCh, c), ...channel(parts[2].samples, nCh, c)];
      expect(joined).toEqual(Array.from(whole.samples.subarray(c * n, (c + 1) * n)));
    }
    expect(parts.flatMap((p) => p.events)).toEqual(whole.events);
  });
});

describe('SyntheticSensor', () => {
  const start = Date.parse('2026-11-23T00:00:00Z'); // a Monday

  it('follows a daily cycle with morning and evening peaks; pressure falls as flow rises', () => {
    const s = new SyntheticSensor({ startMs: start, seed: 1 });
    const day = Array.from({ length: 1440 }, () => s.next());
    const at = (h: number) => day[h * 60].metrics.flow;
    expect(at(7.5)).toBeGreaterThan(1.5 * at(3));
    expect(at(19.5)).toBeGreaterThan(1.5 * at(3));
    const flows = day.map((r) => r.metrics.flow);
    const pressures = day.map((r) => r.metrics.pressure);
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const mf = mean(flows);
    const mp = mean(pressures);
    const cov = mean(flows.map((f, i) => (f - mf) * (pressures[i] - mp)));
    expect(cov).toBeLessThan(0);
    expect(day[1].timeMs - day[0].timeMs).toBe(60_000);
    expect(demandFactor(Date.parse('2026-11-28T07:30:00Z'))).toBeLessThan(demandFactor(Date.parse('2026-11-23T07:30:00Z')));
  });

  it('is deterministic and anomalies move exactly the configured metric and readings', () => {
    const clean = new SyntheticSensor({ startMs: start, seed: 4 });
    const faulty = new SyntheticSensor({ startMs: start, seed: 4 });
    faulty.injectAnomaly({ kind: 'spike', metric: 'flow', atMinute: 10, durationMin: 3, magnitude: 50 });
    faulty.injectAnomaly({ kind: 'drop', metric: 'pressure', atMinute: 20, durationMin: 2, magnitude: 1 });
    faulty.injectAnomaly({ kind: 'drift', metric: 'flow', atMinute: 30, durationMin: 4, magnitude: 8 });
    faulty.injectAnomaly({ kind: 'stuck', metric: 'pressure', atMinute: 40, durationMin: 5, magnitude: 0 });
    const c = Array.from({ length: 60 }, () => clean.next());
    const f = Array.from({ length: 60 }, () => faulty.next());
    const d = (m: 'flow' | 'pressure', i: number) => f[i].metrics[m] - c[i].metrics[m];
    expect(d('flow', 9)).toBe(0);
    expect(d('flow', 10)).toBeCloseTo(50, 9);
    expect(d('flow', 12)).toBeCloseTo(50, 9);
    expect(d('flow', 13)).toBe(0);
    expect(d('pressure', 10)).toBe(0);
    expect(d('pressure', 20)).toBeCloseTo(-1, 9);
    expect(d('pressure', 22)).toBe(0);
    expect([30, 31, 32, 33, 34].map((i) => d('flow', i))).toEqual([2, 4, 6, 8, 0].map((v) => expect.closeTo(v, 9)));
    for (let i = 40; i < 45; i++) expect(f[i].metrics.pressure).toBe(c[40].metrics.pressure);
    expect(d('pressure', 45)).toBe(0);
    expect(faulty.activeAnomalies(41).map((a) => a.kind)).toEqual(['stuck']);
  });
});
