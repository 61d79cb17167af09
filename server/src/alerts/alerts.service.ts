// Wires sensor readings to the pure stager and alert lifecycle, persists what they decide
// (staged readings, alert changes, history, outbox) in one transaction, then notifies the
// dashboard (socket.io) and other consumers (NATS bci.alerts.<deviceId>).
//
// Operator-defined rules (alert_rules): derived metrics join each reading before staging (their
// own baseline, percentile and stage, stored in sensor_stages); conditions feed the lifecycle
// directly under their own name (their stage while true, 0 while false).
//
// Clock: the lifecycle runs on device time (readings carry it), extrapolated by wall time
// while no reading arrives, so escalation works both live and on accelerated replays.
//
// Partitions: a process stages, escalates and acts on the alerts of the devices it owns only
// (their readings come to its consumers); another device's alert is answered with 421.
import { Inject, Injectable, Logger, NotFoundException, ConflictException, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ownsDevice, rooms, subjects, type AlertView, type SensorReading } from '@bci/shared';
import { AlertLifecycle, buildCentralPayload, DEFAULT_CENTRAL_EVENT_TYPES, type AlertEvent, type ActionResult } from '@bci/streams/alerts';
import {
  applyRules,
  compileRules,
  deriveSample,
  rulesFor,
  StagerRegistry,
  type AlertRule,
  type AlertRulePatch,
  type CompiledRules,
  type ExpressionIssue,
  type NewAlertRule,
  type StagedMetric,
} from '@bci/streams/anomaly';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { MisdirectedDeviceException } from '../config/misdirected-device.exception';
import { IngestBus } from '../ingest/ingest.bus';
import { LiveGateway } from '../live/live.gateway';
import { NatsService } from '../nats/nats.service';
import { AlertsRepository } from './alerts.repository';
import { AlertRulesRepository } from './alert-rules.repository';
import { ALERTS_CONFIG } from './alerts.tokens';
import type { AlertsConfig } from './alerts.config';

const TICK_MS = 5_000;

/** Evaluation problems of one rule on one device since start-up (GET /api/alert-rules/issues). */
export interface RuleIssueCount {
  deviceId: string;
  rule: string;
  code: string;
  count: number;
  lastMessage: string;
  lastTime: string;
}


export interface StagedUpdate {
  deviceId: string;
  time: string;
  stages: Record<string, { stage: number | null; percentile: number | null; status: string }>;
}

@Injectable()
export class AlertsService implements OnModuleInit, OnModuleDestroy {
  private registry: StagerRegistry;
  private lifecycle: AlertLifecycle;
  /** All state changes run one after another, in arrival order. */
  private queue: Promise<unknown> = Promise.resolve();
  private lastDeviceMs = 0;
  private lastTickMs = -Infinity;
  private wallAtLastMs = Date.now();
  private timer?: NodeJS.Timeout;
  private readonly log = new Logger('Alerts');
  /** Every alert rule (enabled or not), as last loaded; changed only inside the queue. */
  private rules: AlertRule[] = [];
  /** Compiled rules per device, built on first use, dropped whenever the rules change. */
  private readonly deviceRules = new Map<string, CompiledRules | null>();
  /** The same compiled rules for every device with the same rules (e.g. only the global ones). */
  private readonly compiledRules = new Map<string, CompiledRules>();
  private readonly issues = new Map<string, RuleIssueCount>();

  constructor(
    @Inject(ALERTS_CONFIG) private readonly config: AlertsConfig,
    @Inject(APP_CONFIG) private readonly app: AppConfig,
    private readonly repo: AlertsRepository,
    private readonly gateway: LiveGateway,
    private readonly nats: NatsService,
    private readonly rulesRepo: AlertRulesRepository,
    bus: IngestBus,
  ) {
    this.registry = new StagerRegistry(config.stager);
    this.lifecycle = new AlertLifecycle(config.lifecycle);
    // Registered before ingest starts; work waits in the queue until the state is restored.
    bus.onCommitted((batch) => {
      if (batch.sensor.length) void this.enqueue(() => this.stage(batch.sensor.map((a) => a.value)));
    });
  }

  async onModuleInit(): Promise<void> {
    const restore = async () => {
      this.setRules(await this.rulesRepo.list());
      const owns = (deviceId: string) => ownsDevice(this.app.partitions, deviceId);
      const open = (await this.repo.openAlertStates()).filter((a) => owns(a.deviceId));
      this.lifecycle = AlertLifecycle.restore({ version: 1, alerts: open }, this.config.lifecycle);
      const rows = (await this.repo.recentStaged(this.config.replayDays)).filter((r) => owns(r.deviceId));
      for (const r of rows) this.registry.ingest({ deviceId: r.deviceId, time: r.time, metrics: { [r.metric]: r.value } });
      if (rows.length) this.advanceClock(rows[rows.length - 1].time);
      this.log.log(
        `restored ${this.lifecycle.openAlerts().length} open alert(s), ${this.registry.size} baseline(s) from ${rows.length} staged reading(s) and ${this.rules.length} alert rule(s)`,
      );
    };
    await this.enqueue(restore);
    this.timer = setInterval(() => void this.enqueue(() => this.tick()), TICK_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Device time now: the latest reading's time plus the wall time since it arrived. */
  clockMs(): number {
    return this.lastDeviceMs ? this.lastDeviceMs + (Date.now() - this.wallAtLastMs) : Date.now();
  }

  private advanceClock(deviceMs: number): void {
    if (deviceMs >= this.lastDeviceMs) {
      this.lastDeviceMs = deviceMs;
      this.wallAtLastMs = Date.now();
    }
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch((err: Error) => this.log.error(`alert processing failed: ${err.stack ?? err.message}`));
    return run;
  }

  private async stage(readings: SensorReading[]): Promise<void> {
    const staged: (StagedMetric & { time: number; value: number })[] = [];
    const events: AlertEvent[] = [];
    for (const r of readings) {
      const time = Date.parse(r.time);
      const rules = this.rulesForDevice(r.deviceId);
      const applied = rules ? applyRules(r.metrics, rules) : { metrics: r.metrics, conditions: [], issues: [] };
      for (const i of applied.issues) this.countIssue(r.deviceId, r.time, i);
      const { metrics, conditions } = applied;
      for (const s of this.registry.ingest({ deviceId: r.deviceId, time, metrics })) {
        const value = metrics[s.metric];
        staged.push({ ...s, time, value });
        if (s.status === 'scored') events.push(...this.lifecycle.observe({ deviceId: s.deviceId, metric: s.metric, time, value, stage: s.stage }));
      }
      // A condition is its own alert series: metric = its name, value 1 while true and 0 while false.
      for (const c of conditions) {
        events.push(...this.lifecycle.observe({ deviceId: r.deviceId, metric: c.name, time, value: c.active ? 1 : 0, stage: c.stage }));
      }
      this.advanceClock(time);
      // Time-driven transitions (escalation, auto-close) at each reading's time, so a burst
      // of replayed readings escalates exactly as the same readings arriving live would. A tick
      // walks every open alert, so it runs once per new time, not once per reading: a minute
      // boundary brings thousands of readings with the same time.
      if (time > this.lastTickMs) {
        events.push(...this.lifecycle.tick(time));
        this.lastTickMs = time;
      }
    }
    await this.persistWithRetry(staged, events);
    this.publishStaged(staged);
    await this.notify(events);
  }

  private setRules(rules: AlertRule[]): void {
    this.rules = rules;
    this.deviceRules.clear();
    this.compiledRules.clear();
  }

  private rulesForDevice(deviceId: string): CompiledRules | null {
    let d = this.deviceRules.get(deviceId);
    if (d === undefined) {
      const rules = rulesFor(this.rules, deviceId);
      const key = rules.map((r) => r.id).join(',');
      d = rules.length ? (this.compiledRules.get(key) ?? null) : null;
      if (rules.length && !d) {
        const { compiled, skipped } = compileRules(rules);
        for (const s of skipped) this.log.warn(`alert rule ${s.rule.id} (${s.rule.name}) left out: ${s.error}`);
        this.compiledRules.set(key, (d = compiled));
      }
      this.deviceRules.set(deviceId, d);
    }
    return d;
  }

  private countIssue(deviceId: string, time: string, i: ExpressionIssue): void {
    const k = `${deviceId}\u0000${i.name}\u0000${i.code}`;
    const c = this.issues.get(k);
    if (c) {
      c.count++;
      c.lastMessage = i.message;
      c.lastTime = time;
    } else {
      if (this.issues.size >= 10_000) return; // bounded: a flood of devices must not grow it forever
      this.issues.set(k, { deviceId, rule: i.name, code: i.code, count: 1, lastMessage: i.message, lastTime: time });
    }
    this.log.debug(`alert rule ${i.name} on ${deviceId} at ${time}: ${i.message}`);
  }

  /** Expression problems met while evaluating rules, per device, rule and code. */
  ruleIssues(deviceId?: string): RuleIssueCount[] {
    return [...this.issues.values()].filter((i) => deviceId === undefined || i.deviceId === deviceId).map((i) => ({ ...i }));
  }

  /**
   * Rule changes go through the queue like readings: every reading staged before the change
   * used the old rules, every one after it uses the new ones (no restart needed).
   */
  createRule(rule: NewAlertRule, by: string): Promise<AlertRule> {
    return this.enqueue(async () => {
      const created = await this.rulesRepo.create(rule, by);
      this.setRules(await this.rulesRepo.list());
      return created;
    });
  }

  updateRule(id: number, patch: AlertRulePatch): Promise<AlertRule | undefined> {
    return this.enqueue(async () => {
      const updated = await this.rulesRepo.update(id, patch);
      if (updated) this.setRules(await this.rulesRepo.list());
      return updated;
    });
  }

  deleteRule(id: number): Promise<AlertRule | undefined> {
    return this.enqueue(async () => {
      const deleted = await this.rulesRepo.delete(id);
      if (deleted) this.setRules(await this.rulesRepo.list());
      return deleted;
    });
  }

  /** The derived metrics the rules of a device (or the global rules) add to a sample reading. */
  deriveSample(deviceId: string | null, metrics: Record<string, number>): { metrics: Record<string, number>; issues: ExpressionIssue[] } {
    return deriveSample(rulesFor(this.rules, deviceId), metrics);
  }

  private async tick(): Promise<void> {
    const events = this.lifecycle.tick(this.clockMs());
    if (!events.length) return;
    await this.persistWithRetry([], events);
    await this.notify(events);
  }

  /** The lifecycle has already moved on in memory: keep trying until the database has it too. */
  private async persistWithRetry(staged: (StagedMetric & { time: number; value: number })[], events: AlertEvent[]): Promise<void> {
    const outbox = this.config.centralUrl ? events.filter((e) => DEFAULT_CENTRAL_EVENT_TYPES.has(e.type)).map(buildCentralPayload) : [];
    for (let wait = 200; ; wait = Math.min(wait * 2, 5_000)) {
      try {
        return await this.repo.persist(staged, events, outbox);
      } catch (err) {
        this.log.warn(`persisting ${staged.length} staged reading(s) and ${events.length} alert event(s) failed (${(err as Error).message}); retrying`);
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  private publishStaged(staged: (StagedMetric & { time: number })[]): void {
    const updates = new Map<string, StagedUpdate>();
    for (const s of staged) {
      if (!this.gateway.hasListeners(rooms.device(s.deviceId))) continue;
      const k = `${s.deviceId}|${s.time}`;
      let u = updates.get(k);
      if (!u) updates.set(k, (u = { deviceId: s.deviceId, time: new Date(s.time).toISOString(), stages: {} }));
      u.stages[s.metric] = { stage: s.stage, percentile: Number.isFinite(s.percentile) ? s.percentile : null, status: s.status };
    }
    for (const u of updates.values()) this.gateway.emit(rooms.device(u.deviceId), 'staged', u);
  }

  private async notify(events: AlertEvent[]): Promise<void> {
    if (!events.length) return;
    const views = new Map((await this.repo.views([...new Set(events.map((e) => e.alertId))])).map((v) => [v.id, v]));
    for (const e of events) {
      const view = views.get(e.alertId);
      if (!view) continue;
      const message = { type: e.type, seq: e.seq, time: new Date(e.time).toISOString(), by: e.by, note: e.note, idempotencyKey: e.idempotencyKey, alert: view };
      try {
        this.nats.nc.publish(subjects.alerts(view.deviceId), JSON.stringify(message));
      } catch (err) {
        this.log.warn(`NATS publish of alert ${view.id} failed: ${(err as Error).message}`);
      }
    }
    for (const view of views.values()) {
      this.gateway.emit(rooms.alerts, 'alert', view);
      this.gateway.emit(rooms.device(view.deviceId), 'alert', view);
    }
  }

  /** Operator actions go through the same queue as readings, so they see a consistent state. */
  act(kind: 'acknowledge' | 'clear' | 'close', id: string, by: string, note?: string): Promise<AlertView> {
    return this.enqueue(async () => {
      const action = { by, note, time: this.clockMs() };
      const result: ActionResult = this.lifecycle[kind](id, action);
      if (!result.ok) {
        if (!this.lifecycle.get(id)) {
          const stored = await this.repo.get(id);
          if (stored && stored.state !== 'closed' && !ownsDevice(this.app.partitions, stored.deviceId)) throw new MisdirectedDeviceException(this.app.partitions, stored.deviceId);
          throw new NotFoundException(`no open alert ${id}`);
        }
        throw new ConflictException(result.error);
      }
      await this.persistWithRetry([], result.events);
      await this.notify(result.events);
      return (await this.repo.get(id))!;
    });
  }

  /** For tests and benchmarks: resolves once everything queued so far is done. */
  drain(): Promise<unknown> {
    return this.enqueue(async () => undefined);
  }
}
