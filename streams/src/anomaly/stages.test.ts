import { stageFromPercentile, validateThresholds } from './stages';

describe('stageFromPercentile (field-team bands)', () => {
  // p = 95 sits in both "90 ≤ p ≤ 95" and "95 ≤ p < 98"; resolved to the lower stage.
  it.each([
    [0, 0],
    [89.999, 0],
    [90, 1],
    [92.5, 1],
    [95, 1],
    [95.0001, 2],
    [97.999, 2],
    [98, 3],
    [98.999, 3],
    [99, 4],
    [99.9999999, 4],
    [100, 4],
  ])('p = %p → stage %p', (p, stage) => {
    expect(stageFromPercentile(p)).toBe(stage);
  });

  it('NaN is not an alarm', () => {
    expect(stageFromPercentile(NaN)).toBe(0);
  });

  it('honours custom thresholds with the same boundary rules', () => {
    const t = { interest: 80, caution: 90, alert: 95, critical: 99.5 };
    expect(stageFromPercentile(79.99, t)).toBe(0);
    expect(stageFromPercentile(80, t)).toBe(1);
    expect(stageFromPercentile(90, t)).toBe(1);
    expect(stageFromPercentile(90.01, t)).toBe(2);
    expect(stageFromPercentile(95, t)).toBe(3);
    expect(stageFromPercentile(99.4, t)).toBe(3);
    expect(stageFromPercentile(99.5, t)).toBe(4);
  });

  it('rejects non-increasing thresholds', () => {
    expect(() => validateThresholds({ interest: 90, caution: 90, alert: 98, critical: 99 })).toThrow(/increase/);
    expect(() => validateThresholds({ interest: 90, caution: 95, alert: 98, critical: 101 })).toThrow(/percentiles/);
  });
});
