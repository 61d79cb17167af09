import { buildCentralPayload } from './centralPayload';
import { AlertLifecycle } from './lifecycle';
import { jitterUnit, nextRetry, retryDelayMs, type RetryPolicy } from './retryPolicy';

const policy: RetryPolicy = { baseDelayMs: 1000, factor: 2, maxDelayMs: 60_000, maxAttempts: 5, jitter: 'none', seed: 1 };

describe('retry policy', () => {
  it('grows exponentially and caps at maxDelayMs', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((a) => retryDelayMs(a, 'k', policy))).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000]);
    expect(retryDelayMs(10_000, 'k', policy)).toBe(60000);
  });

  it('jitter is deterministic per (seed, key, attempt), within bounds, and spread out', () => {
    const eq = { ...policy, jitter: 'equal' as const };
    const full = { ...policy, jitter: 'full' as const };
    for (let a = 1; a <= 8; a++) {
      const cap = Math.min(60000, 1000 * 2 ** (a - 1));
      const d = retryDelayMs(a, 'alert-1:3:opened', eq);
      expect(d).toBe(retryDelayMs(a, 'alert-1:3:opened', eq));
      expect(d).toBeGreaterThanOrEqual(cap / 2);
      expect(d).toBeLessThan(cap);
      expect(retryDelayMs(a, 'x', full)).toBeLessThan(cap);
    }
    const us = Array.from({ length: 1000 }, (_, i) => jitterUnit(7, `key-${i}`, 1));
    const mean = us.reduce((s, u) => s + u, 0) / us.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
    expect(Math.min(...us)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...us)).toBeLessThan(1);
    expect(jitterUnit(7, 'a', 1)).not.toBe(jitterUnit(8, 'a', 1));
  });

  it('gives up after maxAttempts', () => {
    expect(nextRetry(1, 5000, 'k', policy)).toEqual({ retry: true, attempt: 2, retryAt: 6000, delayMs: 1000 });
    expect(nextRetry(5, 5000, 'k', policy)).toEqual({ retry: false, attempts: 5 });
  });
});

describe('central payload', () => {
  it('has exactly the agreed fields and an idempotency key per (alert, event)', () => {
    const lc = new AlertLifecycle({ clearAfterNormalReadings: 1 });
    const time = Date.UTC(2026, 4, 1, 8, 0);
    const [opened] = lc.observe({ deviceId: 'WM-0042', metric: 'pressure', time, value: 1.2, stage: 3 });
    const [cleared] = lc.observe({ deviceId: 'WM-0042', metric: 'pressure', time: time + 60_000, value: 3.1, stage: 0 });
    const m = buildCentralPayload(opened!);
    expect(m.payload).toEqual({
      machine_number: 'WM-0042',
      time: '2026-05-01T08:00:00.000Z',
      outlier_stage: 3,
      value: 1.2,
      metric: 'pressure',
      alert_id: 'WM-0042|pressure|2026-05-01T08:00:00.000Z',
    });
    expect(Object.keys(m.payload).sort()).toEqual(['alert_id', 'machine_number', 'metric', 'outlier_stage', 'time', 'value']);
    const c = buildCentralPayload(cleared!);
    expect(c.payload.outlier_stage).toBe(0);
    expect(c.idempotencyKey).not.toBe(m.idempotencyKey);
    expect(buildCentralPayload(opened!)).toEqual(m);
  });
});
