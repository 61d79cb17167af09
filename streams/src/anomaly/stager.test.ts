import { AnomalyStager, MINUTE_MS } from './stager';
import { StagerRegistry } from './registry';

const T0 = Date.UTC(2026, 0, 1);
const t = (i: number): number => T0 + i * MINUTE_MS;

/** Baseline 10, 12, 10, 12, … : mean 11, sample std ≈ 1.0 (exactly sqrt(n/(n-1))). */
function feedAlternating(s: AnomalyStager, n: number, start = 0): void {
  for (let i = 0; i < n; i++) s.update(t(start + i), i % 2 === 0 ? 10 : 12);
}

describe('AnomalyStager', () => {
  it('reports warming_up with stage null (not 0) until minPoints are in the baseline', () => {
    const s = new AnomalyStager({ minPoints: 5 });
    for (let i = 0; i < 5; i++) {
      const r = s.update(t(i), 10 + i);
      expect(r.status).toBe('warming_up');
      expect(r.stage).toBeNull();
      expect(r.percentile).toBeNull();
      expect(r.baselineSize).toBe(i);
    }
    const r = s.update(t(5), 12);
    expect(r.status).toBe('scored');
    expect(r.stage).not.toBeNull();
    expect(r.baselineSize).toBe(5);
  });

  it("defaults to the field rule's two-sided mode on the last 10080 readings, whatever their age", () => {
    const s = new AnomalyStager();
    expect(s.config).toMatchObject({ twoSided: true, maxPoints: 10080, windowMs: Infinity, minPoints: 60 });
    feedAlternating(s, 100);
    // A month offline: the count baseline keeps all 100 readings.
    const back = s.update(t(100 + 30 * 24 * 60), 11);
    expect(back.baselineSize).toBe(100);
    // Drops are staged like rises.
    const sd = s.peek(11)!.scale!;
    expect(s.peek(11 - 3 * sd)!.stage).toBe(4);
    expect(s.peek(11 + 3 * sd)!.stage).toBe(4);
    // The count cap still applies.
    const c = new AnomalyStager({ minPoints: 2, maxPoints: 50 });
    feedAlternating(c, 80);
    expect(c.baselineSize).toBe(50);
  });

  it('scores against the baseline before adding the reading (anomaly cannot mask itself)', () => {
    const s = new AnomalyStager({ minPoints: 4 });
    [10, 10, 10, 10].forEach((v, i) => s.update(t(i), v));
    const r = s.update(t(4), 1000);
    // Flat baseline: scale 0 → any rise is infinitely far out.
    expect(r.z).toBe(Infinity);
    expect(r.stage).toBe(4);
    expect(r.center).toBe(10);
    expect(s.baselineSize).toBe(5);
  });

  it('maps z to percentile and stages at the right quantiles (one-sided)', () => {
    const s = new AnomalyStager({ minPoints: 100, maxPoints: 1000, twoSided: false });
    feedAlternating(s, 1000);
    const mean = s.peek(11)!;
    expect(mean.center).toBeCloseTo(11, 12);
    const sd = mean.scale!;
    expect(sd).toBeCloseTo(Math.sqrt(1000 / 999), 12);
    const at = (z: number) => s.peek(11 + z * sd)!;
    expect(at(0).percentile).toBeCloseTo(50, 10);
    expect(at(1.2).stage).toBe(0); // 88.49
    expect(at(1.3).stage).toBe(1); // 90.32
    expect(at(1.7).stage).toBe(2); // 95.54
    expect(at(2.1).stage).toBe(3); // 98.21
    expect(at(2.4).stage).toBe(4); // 99.18
    expect(at(-5).stage).toBe(0); // drops do not count one-sided
  });

  it('two-sided mode stages drops as well as rises with the folded tail', () => {
    const s = new AnomalyStager({ minPoints: 100, maxPoints: 1000, twoSided: true });
    feedAlternating(s, 1000);
    const sd = s.peek(11)!.scale!;
    const down = s.peek(11 - 2.6 * sd)!;
    expect(down.percentile).toBeCloseTo(100 * (1 - 0.0093224), 4); // P(|Z|>2.6) = 0.0093224
    expect(down.stage).toBe(4);
    expect(s.peek(11 + 1.7 * sd)!.stage).toBe(1); // two-sided 91.09
    expect(s.peek(11)!.percentile).toBeCloseTo(0, 10);
  });

  it('robust mode uses median and 1.4826·MAD and shrugs off outliers in the baseline', () => {
    const s = new AnomalyStager({ minPoints: 5, robust: true, maxPoints: 100 });
    // 1..9 plus one huge outlier: median 5.5, |x - 5.5| sorted → MAD = 2.5
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 1e6].forEach((v, i) => s.update(t(i), v));
    const r = s.peek(5.5)!;
    expect(r.center).toBe(5.5);
    expect(r.scale).toBeCloseTo(1.4826 * 2.5, 12);
    const plain = new AnomalyStager({ minPoints: 5, maxPoints: 100 });
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 1e6].forEach((v, i) => plain.update(t(i), v));
    // The non-robust std is dominated by the outlier, so 20 looks normal there.
    expect(plain.peek(20)!.stage).toBe(0);
    expect(s.peek(20)!.stage).toBe(4);
  });

  it('robust mode falls back to the std when MAD is 0 (quantised values), unless disabled', () => {
    const vals = [5, 5, 5, 5, 5, 5, 5, 6, 4, 7];
    const fb = new AnomalyStager({ minPoints: 5, robust: true, twoSided: false });
    const strict = new AnomalyStager({ minPoints: 5, robust: true, robustFallbackToStd: false, twoSided: false });
    vals.forEach((v, i) => { fb.update(t(i), v); strict.update(t(i), v); });
    expect(fb.peek(6)!.scale).toBeCloseTo(Math.sqrt(0.6222222222222222), 12); // sample std of vals (median 5 is the centre)
    expect(fb.peek(6.1)!.stage).toBe(1); // z = 1.1/0.7888 = 1.39 → p = 91.8
    expect(strict.peek(6)!.z).toBe(Infinity);
  });

  it('evicts by time span and by count cap', () => {
    const s = new AnomalyStager({ minPoints: 2, windowMs: 10 * MINUTE_MS, maxPoints: 1000 });
    for (let i = 0; i < 20; i++) s.update(t(i), i);
    expect(s.baselineSize).toBe(10); // points within (t - 10 min, t]
    s.update(t(100), 5); // a gap empties the window: it warms up again
    expect(s.baselineSize).toBe(1);
    const c = new AnomalyStager({ minPoints: 2, maxPoints: 7 });
    for (let i = 0; i < 20; i++) c.update(t(i), i);
    expect(c.baselineSize).toBe(7);
    expect(c.peek(0)!.center).toBe(16); // mean of 13..19
  });

  it.each([50, 51, 2, 3])('robust median/MAD stay exact while a %p-point window slides', (w) => {
    const s = new AnomalyStager({ minPoints: 2, maxPoints: w, robust: true });
    const vals: number[] = [];
    let x = 7;
    for (let i = 0; i < 500; i++) {
      x = (x * 48271) % 2147483647; // deterministic pseudo-random values, with ties
      const v = (x % 100) / 10;
      vals.push(v);
      s.update(t(i), v);
    }
    const mid = (a: number[]): number => (a.length % 2 ? a[(a.length - 1) / 2]! : (a[a.length / 2 - 1]! + a[a.length / 2]!) / 2);
    const sorted = vals.slice(-w).sort((a, b) => a - b);
    const med = mid(sorted);
    const mad = mid(sorted.map((v) => Math.abs(v - med)).sort((a, b) => a - b));
    const r = s.peek(0)!;
    expect(r.center).toBeCloseTo(med, 12);
    expect(r.scale).toBeCloseTo(1.4826 * mad, 12);
  });

  it('can keep staged readings out of the baseline', () => {
    const s = new AnomalyStager({ minPoints: 10, excludeFromBaselineAtStage: 3 });
    feedAlternating(s, 10);
    const r = s.update(t(10), 100);
    expect(r.stage).toBe(4);
    expect(r.addedToBaseline).toBe(false);
    expect(s.baselineSize).toBe(10);
    expect(s.update(t(11), 11).addedToBaseline).toBe(true);
  });

  it('rejects out-of-order, duplicate and non-finite readings without changing state', () => {
    const s = new AnomalyStager({ minPoints: 2 });
    s.update(t(5), 1);
    expect(s.update(t(5), 2).status).toBe('out_of_order');
    expect(s.update(t(4), 2).status).toBe('out_of_order');
    expect(s.update(t(6), NaN).status).toBe('invalid');
    expect(s.baselineSize).toBe(1);
  });

  it('snapshot/restore round-trips through JSON and continues identically', () => {
    const a = new AnomalyStager({ minPoints: 5, robust: true, twoSided: true, maxPoints: 30 });
    for (let i = 0; i < 40; i++) a.update(t(i), Math.sin(i) * 3 + (i % 7));
    const b = AnomalyStager.restore(JSON.parse(JSON.stringify(a.snapshot())));
    for (let i = 40; i < 60; i++) {
      const v = Math.cos(i) * 4;
      expect(b.update(t(i), v)).toEqual(a.update(t(i), v));
    }
  });
});

describe('StagerRegistry', () => {
  it('reconfiguring keeps the baseline unless the storage kind changes', () => {
    const reg = new StagerRegistry({ minPoints: 5 });
    for (let i = 0; i < 10; i++) reg.ingest({ deviceId: 'd', time: t(i), metrics: { p: i % 2 ? 3 : 3.2 } });
    reg.configure({ metric: 'p' }, { thresholds: { interest: 80, caution: 90, alert: 95, critical: 99 }, robust: true });
    const s = reg.stagerFor('d', 'p');
    expect(s.baselineSize).toBe(10);
    expect(s.config.robust).toBe(true);
    expect(reg.ingest({ deviceId: 'd', time: t(10), metrics: { p: 3.1 } })[0]!.status).toBe('scored');
    reg.configure({ deviceId: 'd' }, { bucketMs: 5 * MINUTE_MS, robust: false });
    expect(reg.configFor('d', 'p').robust).toBe(false); // device layer overrides the metric layer
    expect(reg.stagerFor('d', 'p').baselineSize).toBe(0); // points → buckets: re-warm
    expect(() => reg.configure({ deviceId: 'd', metric: 'p' }, { robust: true })).toThrow(/robust/); // + device-level buckets
    expect(reg.configFor('d', 'p')).toMatchObject({ bucketMs: 5 * MINUTE_MS, robust: false }); // bad override rolled back
  });

  it('stages every metric of a device reading with the most specific config', () => {
    const reg = new StagerRegistry({ minPoints: 3, twoSided: false });
    reg.configure({ metric: 'pressure' }, { twoSided: true });
    reg.configure({ deviceId: 'dev-2', metric: 'pressure' }, { thresholds: { interest: 80, caution: 90, alert: 95, critical: 99 } });
    expect(reg.configFor('dev-1', 'pressure')).toEqual({ minPoints: 3, twoSided: true });
    expect(reg.configFor('dev-2', 'pressure').thresholds!.interest).toBe(80);
    expect(reg.configFor('dev-2', 'flow_rate')).toEqual({ minPoints: 3, twoSided: false });
    for (let i = 0; i < 4; i++) {
      const out = reg.ingest({ deviceId: 'dev-1', time: new Date(t(i)).toISOString(), metrics: { flow_rate: 12 + (i % 2), pressure: 3 + (i % 2) / 10 } });
      expect(out.map((o) => o.metric)).toEqual(['flow_rate', 'pressure']);
      expect(out[0]!.status).toBe(i < 3 ? 'warming_up' : 'scored');
    }
    const snap = JSON.parse(JSON.stringify(reg.snapshot()));
    const reg2 = new StagerRegistry({ minPoints: 3, twoSided: false });
    reg2.restore(snap);
    const r = { deviceId: 'dev-1', time: t(10), metrics: { flow_rate: 40, pressure: 1 } };
    expect(reg2.ingest(r)).toEqual(reg.ingest(r));
  });
});
