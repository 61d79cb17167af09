import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import type { Alert, AlertEvent, CentralMessage } from '@bci/streams/alerts';
import type { StagedMetric } from '@bci/streams/anomaly';
import { DatabaseService } from '../database/database.service';
import { toAlertView, type AlertRow } from './alert-view';
import type { AlertView } from '@bci/shared';

const ALERT_SELECT = `
  SELECT a.*, o.status AS delivery_status, o.attempts AS delivery_attempts, o.last_error AS delivery_error
    FROM alerts a
    LEFT JOIN LATERAL (
      SELECT CASE WHEN bool_or(status = 'failed') THEN 'failed' WHEN bool_or(status = 'pending') THEN 'pending' ELSE 'delivered' END AS status,
             sum(attempts)::int AS attempts,
             (array_agg(last_error ORDER BY id DESC) FILTER (WHERE last_error IS NOT NULL))[1] AS last_error
        FROM alert_outbox WHERE alert_id = a.id HAVING count(*) > 0
    ) o ON true`;

export interface AlertFilter {
  state?: string[];
  deviceId?: string;
  minStage?: number;
  from?: Date;
  to?: Date;
  limit: number;
}

export interface StagedRow {
  deviceId: string;
  metric: string;
  time: number;
  value: number;
}

@Injectable()
export class AlertsRepository {
  constructor(private readonly db: DatabaseService) {}

  /** Staged readings, alert changes, their events and outbox rows in one transaction. */
  async persist(staged: (StagedMetric & { time: number; value: number })[], events: AlertEvent[], outbox: CentralMessage[]): Promise<void> {
    const client = await this.db.pool.connect();
    let failed: Error | undefined;
    try {
      await client.query('BEGIN');
      await this.insertStages(client, staged);
      await this.applyEvents(client, events);
      if (outbox.length) {
        await client.query(
          `INSERT INTO alert_outbox (idempotency_key, alert_id, payload)
           SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[]) ON CONFLICT (idempotency_key) DO NOTHING`,
          [outbox.map((o) => o.idempotencyKey), outbox.map((o) => o.payload.alert_id), outbox.map((o) => JSON.stringify(o.payload))],
        );
      }
      await client.query('COMMIT');
    } catch (err) {
      failed = err as Error;
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release(failed);
    }
  }

  private async insertStages(client: PoolClient, staged: (StagedMetric & { time: number; value: number })[]): Promise<void> {
    if (!staged.length) return;
    await client.query(
      `INSERT INTO sensor_stages (device_id, metric, device_time, value, status, stage, percentile, z, baseline_size)
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::float8[], $5::text[], $6::int2[], $7::float8[], $8::float8[], $9::int4[])
       ON CONFLICT DO NOTHING`,
      [
        staged.map((s) => s.deviceId),
        staged.map((s) => s.metric),
        staged.map((s) => new Date(s.time).toISOString()),
        staged.map((s) => s.value),
        staged.map((s) => s.status),
        staged.map((s) => s.stage),
        staged.map((s) => (Number.isFinite(s.percentile) ? s.percentile : null)),
        staged.map((s) => (Number.isFinite(s.z) ? s.z : null)),
        staged.map((s) => s.baselineSize),
      ],
    );
  }

  private async applyEvents(client: PoolClient, events: AlertEvent[]): Promise<void> {
    // The last event of an alert carries its final state; earlier ones only add history.
    const latest = new Map<string, Alert>();
    for (const e of events) latest.set(e.alertId, e.alert);
    if (latest.size) {
      // One statement for all changed alerts: a burst can touch thousands at once.
      const t = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
      const rows = [...latest.values()].map((a) => ({
        id: a.id, device_id: a.deviceId, metric: a.metric, state: a.state, peak_stage: a.peakStage, last_stage: a.lastStage,
        last_value: a.lastValue, count: a.count, opened_at: t(a.openedAt), last_at: t(a.lastAt), escalation_level: a.escalationLevel,
        acknowledged_at: t(a.acknowledgedAt), acknowledged_by: a.acknowledgedBy, acknowledge_note: a.acknowledgeNote,
        cleared_at: t(a.clearedAt), cleared_by: a.clearedBy, clear_note: a.clearNote, closed_at: t(a.closedAt), state_json: a,
      }));
      await client.query(
        `INSERT INTO alerts (id, device_id, metric, state, peak_stage, last_stage, last_value, count, opened_at, last_at, escalation_level,
                             acknowledged_at, acknowledged_by, acknowledge_note, cleared_at, cleared_by, clear_note, closed_at, state_json, updated_at)
         SELECT id, device_id, metric, state, peak_stage, last_stage, last_value, count, opened_at, last_at, escalation_level,
                acknowledged_at, acknowledged_by, acknowledge_note, cleared_at, cleared_by, clear_note, closed_at, state_json, now()
           FROM jsonb_populate_recordset(NULL::alerts, $1::jsonb)
         ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, peak_stage = EXCLUDED.peak_stage, last_stage = EXCLUDED.last_stage,
           last_value = EXCLUDED.last_value, count = EXCLUDED.count, last_at = EXCLUDED.last_at, escalation_level = EXCLUDED.escalation_level,
           acknowledged_at = EXCLUDED.acknowledged_at, acknowledged_by = EXCLUDED.acknowledged_by, acknowledge_note = EXCLUDED.acknowledge_note,
           cleared_at = EXCLUDED.cleared_at, cleared_by = EXCLUDED.cleared_by, clear_note = EXCLUDED.clear_note, closed_at = EXCLUDED.closed_at,
           state_json = EXCLUDED.state_json, updated_at = now()`,
        [JSON.stringify(rows)],
      );
    }
    if (!events.length) return;
    await client.query(
      `INSERT INTO alert_events (alert_id, seq, type, event_time, actor, note, previous_stage, stage, value, idempotency_key)
       SELECT * FROM unnest($1::text[], $2::int4[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::int2[], $8::int2[], $9::float8[], $10::text[])
       ON CONFLICT DO NOTHING`,
      [
        events.map((e) => e.alertId),
        events.map((e) => e.seq),
        events.map((e) => e.type),
        events.map((e) => new Date(e.time).toISOString()),
        events.map((e) => e.by),
        events.map((e) => e.note),
        events.map((e) => e.previousStage),
        events.map((e) => e.alert.lastStage),
        events.map((e) => e.alert.lastValue),
        events.map((e) => e.idempotencyKey),
      ],
    );
  }

  /** Alerts not closed, as the lifecycle recorded them, to restore it after a restart. */
  async openAlertStates(): Promise<Alert[]> {
    const { rows } = await this.db.pool.query<{ state_json: Alert }>(`SELECT state_json FROM alerts WHERE state <> 'closed'`);
    return rows.map((r) => r.state_json);
  }

  /** Scored readings of the last `days`, oldest first, to rebuild the baselines. */
  async recentStaged(days: number): Promise<StagedRow[]> {
    const { rows } = await this.db.pool.query(
      `SELECT device_id, metric, (extract(epoch FROM device_time) * 1000)::float8 AS t, value FROM sensor_stages
        WHERE device_time > now() - make_interval(days => $1::int) AND status IN ('scored', 'warming_up')
        ORDER BY device_time`,
      [days],
    );
    return rows.map((r) => ({ deviceId: r.device_id, metric: r.metric, time: Number(r.t), value: r.value }));
  }

  async list(f: AlertFilter): Promise<AlertView[]> {
    const { rows } = await this.db.pool.query<AlertRow>(
      `${ALERT_SELECT}
        WHERE ($1::text[] IS NULL OR a.state = ANY($1)) AND ($2::text IS NULL OR a.device_id = $2)
          AND ($3::int IS NULL OR a.peak_stage >= $3) AND ($4::timestamptz IS NULL OR a.last_at >= $4) AND ($5::timestamptz IS NULL OR a.opened_at < $5)
        ORDER BY a.opened_at DESC LIMIT $6`,
      [f.state ?? null, f.deviceId ?? null, f.minStage ?? null, f.from ?? null, f.to ?? null, f.limit],
    );
    return rows.map(toAlertView);
  }

  async get(id: string): Promise<AlertView | undefined> {
    const { rows } = await this.db.pool.query<AlertRow>(`${ALERT_SELECT} WHERE a.id = $1`, [id]);
    return rows[0] ? toAlertView(rows[0]) : undefined;
  }

  async views(ids: string[]): Promise<AlertView[]> {
    if (!ids.length) return [];
    const { rows } = await this.db.pool.query<AlertRow>(`${ALERT_SELECT} WHERE a.id = ANY($1::text[])`, [ids]);
    return rows.map(toAlertView);
  }

  async events(id: string) {
    const { rows } = await this.db.pool.query(
      `SELECT seq, type, event_time AS time, actor AS by, note, previous_stage AS "previousStage", stage, value, idempotency_key AS "idempotencyKey"
         FROM alert_events WHERE alert_id = $1 ORDER BY seq`,
      [id],
    );
    return rows;
  }

  async deliveries(id: string) {
    const { rows } = await this.db.pool.query(
      `SELECT idempotency_key AS "idempotencyKey", payload, status, attempts, next_attempt_at AS "nextAttemptAt", last_error AS "lastError", delivered_at AS "deliveredAt"
         FROM alert_outbox WHERE alert_id = $1 ORDER BY id`,
      [id],
    );
    return rows;
  }
}
