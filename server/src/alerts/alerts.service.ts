// Wires sensor readings to the pure stager and alert lifecycle, persists what they decide
// (staged readings, alert changes, history, outbox) in one transaction, then notifies the
// dashboard (socket.io) and other consumers (NATS bci.alerts.<deviceId>).
//
// Clock: the lifecycle runs on device time (readings carry it), extrapolated by wall time
// while no reading arrives, so escalation works both live and on accelerated replays.
import { Inject, Injectable, Logger, NotFoundException, ConflictException, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { rooms, subjects, type AlertView, type SensorReading } from '@bci/shared';
import { AlertLifecycle, buildCentralPayload, DEFAULT_CENTRAL_EVENT_TYPES, type AlertEvent, type ActionResult } from '@bci/streams/alerts';
import { StagerRegistry, type StagedMetric } from '@bci/streams/anomaly';
import { IngestBus } from '../ingest/ingest.bus';
import { LiveGateway } from '../live/live.gateway';
import { NatsService } from '../nats/nats.service';
import { AlertsRepository } from './alerts.repository';
import { ALERTS_CONFIG } from './alerts.tokens';
import type { AlertsConfig } from './alerts.config';

const TICK_MS = 5_000;

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

  constructor(
    @Inject(ALERTS_CONFIG) private readonly config: AlertsConfig,
    private readonly repo: AlertsRepository,
    private readonly gateway: LiveGateway,
    private readonly nats: NatsService,
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
      this.lifecycle = AlertLifecycle.restore({ version: 1, alerts: await this.repo.openAlertStates() }, this.config.lifecycle);
      const rows = await this.repo.recentStaged(this.config.replayDays);
      for (const r of rows) this.registry.ingest({ deviceId: r.deviceId, time: r.time, metrics: { [r.metric]: r.value } });
      if (rows.length) this.advanceClock(rows[rows.length - 1].time);
      this.log.log(`restored ${this.lifecycle.openAlerts().length} open alert(s) and ${this.registry.size} baseline(s) from ${rows.length} staged reading(s)`);
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
      for (const s of this.registry.ingest(r)) {
        const value = r.metrics[s.metric];
        staged.push({ ...s, time, value });
        if (s.status === 'scored') events.push(...this.lifecycle.observe({ deviceId: s.deviceId, metric: s.metric, time, value, stage: s.stage }));
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
        if (!this.lifecycle.get(id)) throw new NotFoundException(`no open alert ${id}`);
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
