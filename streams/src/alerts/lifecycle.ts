// Alert lifecycle for staged readings, one incident per (device, metric):
//   active_unacknowledged → active_acknowledged → cleared → closed
// Pure and deterministic: every transition is driven by a reading or an
// operator action carrying its own timestamp, or by tick(now); nothing reads
// the clock. Each call returns the events the server must persist/deliver.
import type { Stage } from '../anomaly/stages';

export type AlertState = 'active_unacknowledged' | 'active_acknowledged' | 'cleared' | 'closed';

export type AlertEventType =
  | 'opened'
  | 'updated'
  | 'stage_escalated'
  | 'acknowledged'
  | 'cleared'
  | 'closed'
  | 'escalated_unacknowledged';

export const SYSTEM_ACTOR = 'system';

export interface Alert {
  id: string;
  deviceId: string;
  metric: string;
  state: AlertState;
  openedAt: number;
  /** Time of the latest abnormal (stage ≥ 1) reading. */
  lastAt: number;
  firstValue: number;
  firstStage: Stage;
  lastValue: number;
  lastStage: Stage;
  peakStage: Stage;
  peakValue: number;
  /** Number of abnormal readings in this incident. */
  count: number;
  /** Consecutive stage-0 readings since the last abnormal one (hysteresis counter). */
  normalStreak: number;
  escalationLevel: number;
  lastEscalatedAt: number | null;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  acknowledgeNote: string | null;
  clearedAt: number | null;
  clearedBy: string | null;
  clearNote: string | null;
  closedAt: number | null;
  closedBy: string | null;
  closeNote: string | null;
  /** Per-alert event counter; with the id it makes each event's idempotency key. */
  seq: number;
}

export interface AlertEvent {
  type: AlertEventType;
  alertId: string;
  /** Sequence number of this event within its alert (1 = opened). */
  seq: number;
  /** `${alertId}:${seq}:${type}` — stable across retries and replays. */
  idempotencyKey: string;
  time: number;
  by: string | null;
  note: string | null;
  /** Stage before this event (for stage_escalated) — null otherwise. */
  previousStage: Stage | null;
  /** State of the alert after the event (a copy). */
  alert: Alert;
}

export interface LifecycleConfig {
  /**
   * Lowest stage that opens a new alert (spec: 1). Once open, every stage ≥ 1
   * updates the alert and holds off clearing. Raising it cuts noise: under a
   * fitted normal, p ≥ 90 is 10% of normal readings by construction.
   */
  minOpenStage: Exclude<Stage, 0>;
  /** Stage-0 readings in a row needed to clear an active alert (hysteresis). */
  clearAfterNormalReadings: number;
  /** Cleared alerts close automatically this long after clearing (null = operator only). */
  autoCloseAfterMs: number | null;
  /** Unacknowledged active alerts escalate every this often (null = never). */
  escalateAfterMs: number | null;
  maxEscalationLevel: number;
  /** Emit `updated` for every further abnormal reading (stage rises always emit `stage_escalated`). */
  emitUpdates: boolean;
  /** Alert id; default is deterministic `${deviceId}|${metric}|${openedAt ISO}`. */
  idFactory?: (deviceId: string, metric: string, openedAt: number) => string;
}

export const DEFAULT_LIFECYCLE_CONFIG: Readonly<LifecycleConfig> = Object.freeze({
  minOpenStage: 1 as const,
  clearAfterNormalReadings: 5,
  autoCloseAfterMs: 24 * 3_600_000,
  escalateAfterMs: 15 * 60_000,
  maxEscalationLevel: 3,
  emitUpdates: true,
});

export interface StagedObservation {
  deviceId: string;
  metric: string;
  time: number;
  value: number;
  /** null = no verdict (warming up / invalid): ignored. */
  stage: Stage | null;
}

export interface OperatorAction {
  by: string;
  time: number;
  note?: string;
}

export type ActionResult = { ok: true; events: AlertEvent[] } | { ok: false; error: string };

export interface LifecycleSnapshot {
  version: 1;
  alerts: Alert[];
}

const seriesKey = (deviceId: string, metric: string): string => `${deviceId}\u0000${metric}`;

export class AlertLifecycle {
  readonly config: LifecycleConfig;
  /** Every alert not yet closed, by id. */
  private readonly alerts = new Map<string, Alert>();
  /** The active (unacknowledged or acknowledged) alert per series, if any. */
  private readonly activeBySeries = new Map<string, string>();

  constructor(config: Partial<LifecycleConfig> = {}) {
    this.config = { ...DEFAULT_LIFECYCLE_CONFIG, ...config };
    const c = this.config;
    if (!Number.isInteger(c.clearAfterNormalReadings) || c.clearAfterNormalReadings < 1) {
      throw new RangeError('clearAfterNormalReadings must be an integer ≥ 1');
    }
    if (![1, 2, 3, 4].includes(c.minOpenStage)) throw new RangeError('minOpenStage must be 1..4');
    if (c.escalateAfterMs !== null && !(c.escalateAfterMs > 0)) throw new RangeError('escalateAfterMs must be > 0 or null');
    if (c.autoCloseAfterMs !== null && !(c.autoCloseAfterMs >= 0)) throw new RangeError('autoCloseAfterMs must be ≥ 0 or null');
  }

  /** Feed one staged reading. */
  observe(o: StagedObservation): AlertEvent[] {
    if (o.stage === null) return [];
    const id = this.activeBySeries.get(seriesKey(o.deviceId, o.metric));
    const alert = id === undefined ? undefined : this.alerts.get(id);

    if (o.stage >= 1) {
      if (!alert) return o.stage >= this.config.minOpenStage ? [this.open(o as StagedObservation & { stage: Stage })] : [];
      alert.lastAt = o.time;
      alert.lastValue = o.value;
      alert.lastStage = o.stage;
      alert.count++;
      alert.normalStreak = 0; // re-escalation inside the clear window keeps this incident
      if (o.stage > alert.peakStage) {
        const previous = alert.peakStage;
        alert.peakStage = o.stage;
        alert.peakValue = o.value;
        return [this.emit(alert, 'stage_escalated', o.time, null, null, previous)];
      }
      return this.config.emitUpdates ? [this.emit(alert, 'updated', o.time, null, null)] : [];
    }

    if (!alert) return [];
    alert.normalStreak++;
    if (alert.normalStreak < this.config.clearAfterNormalReadings) return [];
    return [this.doClear(alert, o.time, SYSTEM_ACTOR, null)];
  }

  acknowledge(alertId: string, a: OperatorAction): ActionResult {
    const alert = this.alerts.get(alertId);
    if (!alert) return { ok: false, error: `unknown or closed alert ${alertId}` };
    if (alert.acknowledgedAt !== null) return { ok: false, error: `alert ${alertId} is already acknowledged` };
    if (alert.state !== 'active_unacknowledged' && alert.state !== 'cleared') {
      return { ok: false, error: `cannot acknowledge alert in state ${alert.state}` };
    }
    // A cleared-but-never-acknowledged alert can still be acknowledged; it stays cleared.
    if (alert.state === 'active_unacknowledged') alert.state = 'active_acknowledged';
    alert.acknowledgedAt = a.time;
    alert.acknowledgedBy = a.by;
    alert.acknowledgeNote = a.note ?? null;
    return { ok: true, events: [this.emit(alert, 'acknowledged', a.time, a.by, a.note ?? null)] };
  }

  /** Operator clear of an active alert (no need to wait for N normal readings). */
  clear(alertId: string, a: OperatorAction): ActionResult {
    const alert = this.alerts.get(alertId);
    if (!alert) return { ok: false, error: `unknown or closed alert ${alertId}` };
    if (alert.state === 'cleared') return { ok: false, error: `alert ${alertId} is already cleared` };
    return { ok: true, events: [this.doClear(alert, a.time, a.by, a.note ?? null)] };
  }

  /** Operator close from any state; a later abnormal reading opens a new alert. */
  close(alertId: string, a: OperatorAction): ActionResult {
    const alert = this.alerts.get(alertId);
    if (!alert) return { ok: false, error: `unknown or already closed alert ${alertId}` };
    return { ok: true, events: [this.doClose(alert, a.time, a.by, a.note ?? null)] };
  }

  /** Time-driven transitions: unacknowledged escalation and auto-close of cleared alerts. */
  tick(now: number): AlertEvent[] {
    const events: AlertEvent[] = [];
    const { escalateAfterMs, autoCloseAfterMs, maxEscalationLevel } = this.config;
    for (const alert of [...this.alerts.values()]) {
      if (alert.state === 'active_unacknowledged' && escalateAfterMs !== null) {
        // One event per missed level, each stamped at its due time, so a late
        // tick gives the same history as punctual ones.
        for (;;) {
          if (alert.escalationLevel >= maxEscalationLevel) break;
          const due = (alert.lastEscalatedAt ?? alert.openedAt) + escalateAfterMs;
          if (now < due) break;
          alert.escalationLevel++;
          alert.lastEscalatedAt = due;
          events.push(this.emit(alert, 'escalated_unacknowledged', due, SYSTEM_ACTOR, null));
        }
      } else if (alert.state === 'cleared' && autoCloseAfterMs !== null && alert.clearedAt !== null) {
        const due = alert.clearedAt + autoCloseAfterMs;
        if (now >= due) events.push(this.doClose(alert, due, SYSTEM_ACTOR, 'auto-closed'));
      }
    }
    return events;
  }

  get(alertId: string): Alert | undefined {
    const a = this.alerts.get(alertId);
    return a && { ...a };
  }

  activeFor(deviceId: string, metric: string): Alert | undefined {
    const id = this.activeBySeries.get(seriesKey(deviceId, metric));
    return id === undefined ? undefined : this.get(id);
  }

  /** All alerts not yet closed (active and cleared). */
  openAlerts(): Alert[] {
    return [...this.alerts.values()].map((a) => ({ ...a }));
  }

  snapshot(): LifecycleSnapshot {
    return { version: 1, alerts: this.openAlerts() };
  }

  static restore(s: LifecycleSnapshot, config: Partial<LifecycleConfig> = {}): AlertLifecycle {
    if (s.version !== 1) throw new Error(`unsupported lifecycle snapshot version ${String(s.version)}`);
    const lc = new AlertLifecycle(config);
    for (const a of s.alerts) {
      if (a.state === 'closed') continue;
      lc.alerts.set(a.id, { ...a });
      if (a.state !== 'cleared') lc.activeBySeries.set(seriesKey(a.deviceId, a.metric), a.id);
    }
    return lc;
  }

  private open(o: StagedObservation & { stage: Stage }): AlertEvent {
    const base = this.config.idFactory
      ? this.config.idFactory(o.deviceId, o.metric, o.time)
      : `${o.deviceId}|${o.metric}|${new Date(o.time).toISOString()}`;
    // A closed-and-reopened incident at the same timestamp must still get its own id.
    let id = base;
    for (let n = 2; this.alerts.has(id); n++) id = `${base}#${n}`;
    const alert: Alert = {
      id,
      deviceId: o.deviceId,
      metric: o.metric,
      state: 'active_unacknowledged',
      openedAt: o.time,
      lastAt: o.time,
      firstValue: o.value,
      firstStage: o.stage,
      lastValue: o.value,
      lastStage: o.stage,
      peakStage: o.stage,
      peakValue: o.value,
      count: 1,
      normalStreak: 0,
      escalationLevel: 0,
      lastEscalatedAt: null,
      acknowledgedAt: null,
      acknowledgedBy: null,
      acknowledgeNote: null,
      clearedAt: null,
      clearedBy: null,
      clearNote: null,
      closedAt: null,
      closedBy: null,
      closeNote: null,
      seq: 0,
    };
    this.alerts.set(id, alert);
    this.activeBySeries.set(seriesKey(o.deviceId, o.metric), id);
    return this.emit(alert, 'opened', o.time, null, null);
  }

  private doClear(alert: Alert, time: number, by: string, note: string | null): AlertEvent {
    alert.state = 'cleared';
    alert.clearedAt = time;
    alert.clearedBy = by;
    alert.clearNote = note;
    this.releaseSeries(alert);
    return this.emit(alert, 'cleared', time, by, note);
  }

  private doClose(alert: Alert, time: number, by: string, note: string | null): AlertEvent {
    alert.state = 'closed';
    alert.closedAt = time;
    alert.closedBy = by;
    alert.closeNote = note;
    this.releaseSeries(alert);
    this.alerts.delete(alert.id); // closed alerts live on only in the server's store
    return this.emit(alert, 'closed', time, by, note);
  }

  private releaseSeries(alert: Alert): void {
    const k = seriesKey(alert.deviceId, alert.metric);
    if (this.activeBySeries.get(k) === alert.id) this.activeBySeries.delete(k);
  }

  private emit(
    alert: Alert,
    type: AlertEventType,
    time: number,
    by: string | null,
    note: string | null,
    previousStage: Stage | null = null,
  ): AlertEvent {
    alert.seq++;
    return {
      type,
      alertId: alert.id,
      seq: alert.seq,
      idempotencyKey: `${alert.id}:${alert.seq}:${type}`,
      time,
      by,
      note,
      previousStage,
      alert: { ...alert },
    };
  }
}
