import type { Stage } from '../anomaly/stages';
import { AlertLifecycle, type AlertEvent } from './lifecycle';

const MIN = 60_000;
const T0 = Date.UTC(2026, 4, 1, 8, 0);
const t = (i: number): number => T0 + i * MIN;

/** Feed one stage per minute for device d1 / pressure and collect all events. */
function run(lc: AlertLifecycle, stages: Array<Stage | null>, start = 0): AlertEvent[] {
  return stages.flatMap((stage, i) =>
    lc.observe({ deviceId: 'd1', metric: 'pressure', time: t(start + i), value: 3 + (stage ?? 0), stage }),
  );
}
const types = (es: AlertEvent[]): string[] => es.map((e) => e.type);

describe('AlertLifecycle', () => {
  it('opens one alert per incident and updates it (no duplicates)', () => {
    const lc = new AlertLifecycle({ clearAfterNormalReadings: 3 });
    const ev = run(lc, [0, 1, 1, 2, 2, 1, 4, 1]);
    expect(types(ev)).toEqual(['opened', 'updated', 'stage_escalated', 'updated', 'updated', 'stage_escalated', 'updated']);
    expect(new Set(ev.map((e) => e.alertId)).size).toBe(1);
    const a = lc.activeFor('d1', 'pressure')!;
    expect(a).toMatchObject({ state: 'active_unacknowledged', count: 7, peakStage: 4, peakValue: 7, lastStage: 1, firstStage: 1, openedAt: t(1), lastAt: t(7) });
    expect(ev[2]!.previousStage).toBe(1);
    expect(ev[5]!.previousStage).toBe(2);
  });

  it('minOpenStage: lower stages do not open, but do extend an open incident', () => {
    const lc = new AlertLifecycle({ minOpenStage: 3, clearAfterNormalReadings: 2 });
    const ev = run(lc, [1, 2, 1, 3, 1, 0, 1, 0, 0, 2]);
    expect(types(ev)).toEqual(['opened', 'updated', 'updated', 'cleared']);
    expect(ev[0]!.time).toBe(t(3));
    expect(ev[3]!.time).toBe(t(8)); // the stage-1 reading at t(6) reset the normal streak
  });

  it('ignores warming-up readings (stage null) and normal readings with no alert', () => {
    const lc = new AlertLifecycle();
    expect(run(lc, [null, null, 0, 0])).toEqual([]);
  });

  it('clears only after N consecutive normal readings; a relapse inside the window keeps the alert (hysteresis)', () => {
    const lc = new AlertLifecycle({ clearAfterNormalReadings: 3 });
    const ev = run(lc, [2, 0, 0, 3, 0, 0, null, 0]);
    expect(types(ev)).toEqual(['opened', 'stage_escalated', 'cleared']);
    const cleared = ev[2]!;
    expect(cleared.time).toBe(t(7)); // null (warming) reading neither counts nor resets
    expect(cleared.alert).toMatchObject({ state: 'cleared', clearedBy: 'system', count: 2 });
    expect(lc.activeFor('d1', 'pressure')).toBeUndefined();
    // The next abnormal reading is a new incident.
    const again = run(lc, [1], 8);
    expect(types(again)).toEqual(['opened']);
    expect(again[0]!.alertId).not.toBe(cleared.alertId);
  });

  it('acknowledge → clear → close with actor, time and note; invalid transitions are refused', () => {
    const lc = new AlertLifecycle({ clearAfterNormalReadings: 2, autoCloseAfterMs: null });
    const [opened] = run(lc, [3]);
    const id = opened!.alertId;
    const ack = lc.acknowledge(id, { by: 'kim', time: t(2), note: 'crew dispatched' });
    expect(ack.ok && ack.events[0]!.alert).toMatchObject({ state: 'active_acknowledged', acknowledgedBy: 'kim', acknowledgedAt: t(2), acknowledgeNote: 'crew dispatched' });
    expect(lc.acknowledge(id, { by: 'lee', time: t(3) })).toEqual({ ok: false, error: expect.stringMatching(/already acknowledged/) });
    const cl = lc.clear(id, { by: 'kim', time: t(4), note: 'valve fixed' });
    expect(cl.ok && cl.events[0]!.alert).toMatchObject({ state: 'cleared', clearedBy: 'kim', clearNote: 'valve fixed' });
    expect(lc.clear(id, { by: 'kim', time: t(5) }).ok).toBe(false);
    expect(lc.tick(t(10_000))).toEqual([]); // autoClose disabled
    const close = lc.close(id, { by: 'park', time: t(6) });
    expect(close.ok && close.events[0]!).toMatchObject({ type: 'closed', by: 'park', alert: { state: 'closed', closedAt: t(6) } });
    expect(lc.close(id, { by: 'park', time: t(7) }).ok).toBe(false);
    expect(lc.get(id)).toBeUndefined();
  });

  it('auto-closes cleared alerts after the configured time', () => {
    const lc = new AlertLifecycle({ clearAfterNormalReadings: 1, autoCloseAfterMs: 60 * MIN, escalateAfterMs: null });
    run(lc, [2, 0]);
    expect(lc.tick(t(1) + 59 * MIN)).toEqual([]);
    const ev = lc.tick(t(1) + 90 * MIN);
    expect(types(ev)).toEqual(['closed']);
    expect(ev[0]!).toMatchObject({ time: t(1) + 60 * MIN, by: 'system' });
  });

  it('escalates unacknowledged alerts every interval up to the max level, stamped at the due time', () => {
    const lc = new AlertLifecycle({ escalateAfterMs: 10 * MIN, maxEscalationLevel: 2 });
    run(lc, [1]);
    expect(lc.tick(t(0) + 9 * MIN)).toEqual([]);
    const late = lc.tick(t(0) + 35 * MIN); // a late tick catches up deterministically
    expect(types(late)).toEqual(['escalated_unacknowledged', 'escalated_unacknowledged']);
    expect(late.map((e) => [e.time, e.alert.escalationLevel])).toEqual([
      [t(0) + 10 * MIN, 1],
      [t(0) + 20 * MIN, 2],
    ]);
    expect(lc.tick(t(0) + 100 * MIN)).toEqual([]); // capped
  });

  it('does not escalate once acknowledged', () => {
    const lc = new AlertLifecycle({ escalateAfterMs: 10 * MIN });
    const [o] = run(lc, [1]);
    lc.acknowledge(o!.alertId, { by: 'kim', time: t(5) });
    expect(lc.tick(t(60))).toEqual([]);
  });

  it('emits unique, stable idempotency keys and is deterministic', () => {
    const script = (lc: AlertLifecycle) => [...run(lc, [1, 2, 0, 0, 0, 0, 0]), ...lc.tick(t(100))];
    const a = script(new AlertLifecycle());
    const b = script(new AlertLifecycle());
    expect(a).toEqual(b);
    expect(new Set(a.map((e) => e.idempotencyKey)).size).toBe(a.length);
    expect(a.map((e) => e.seq)).toEqual(a.map((_, i) => i + 1));
  });

  it('gives a reopened incident at the same timestamp a distinct id', () => {
    const lc = new AlertLifecycle({ clearAfterNormalReadings: 1, autoCloseAfterMs: null });
    const [a] = lc.observe({ deviceId: 'd1', metric: 'pressure', time: t(0), value: 9, stage: 2 });
    lc.clear(a!.alertId, { by: 'kim', time: t(0) });
    const [b] = lc.observe({ deviceId: 'd1', metric: 'pressure', time: t(0), value: 9, stage: 2 });
    expect(b!.alertId).toBe(`${a!.alertId}#2`);
  });

  it('keeps series independent', () => {
    const lc = new AlertLifecycle();
    lc.observe({ deviceId: 'd1', metric: 'pressure', time: t(0), value: 9, stage: 4 });
    lc.observe({ deviceId: 'd1', metric: 'flow_rate', time: t(0), value: 900, stage: 2 });
    lc.observe({ deviceId: 'd2', metric: 'pressure', time: t(0), value: 9, stage: 1 });
    expect(lc.openAlerts()).toHaveLength(3);
  });

  it('snapshot/restore resumes the same incident', () => {
    const lc = new AlertLifecycle({ clearAfterNormalReadings: 3 });
    run(lc, [2, 0]);
    const lc2 = AlertLifecycle.restore(JSON.parse(JSON.stringify(lc.snapshot())), { clearAfterNormalReadings: 3 });
    expect(types(run(lc2, [0, 0], 2))).toEqual(['cleared']);
    expect(types(run(lc, [0, 0], 2))).toEqual(['cleared']);
  });
});
