// Delivers the alert outbox to the central server: claims due rows with a lease (so replicas
// never send the same row at once), POSTs each with its Idempotency-Key, and records success
// or schedules the next try with exponential backoff. Delivery is at least once; the key lets
// the central server keep exactly one copy.
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { nextRetry } from '@bci/streams/alerts';
import { DatabaseService } from '../database/database.service';
import { ALERTS_CONFIG } from './alerts.tokens';
import type { AlertsConfig } from './alerts.config';

const POLL_MS = 250;
const LEASE_S = 30;
const BATCH = 50;
const REQUEST_TIMEOUT_MS = 5_000;

interface OutboxRow {
  id: string;
  idempotency_key: string;
  payload: unknown;
  attempts: number;
}

@Injectable()
export class OutboxDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private stopping = false;
  private loop?: Promise<void>;
  private readonly log = new Logger('Outbox');

  constructor(
    @Inject(ALERTS_CONFIG) private readonly config: AlertsConfig,
    private readonly db: DatabaseService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.centralUrl) return;
    this.loop = this.run(this.config.centralUrl);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    await this.loop;
  }

  private async run(url: string): Promise<void> {
    while (!this.stopping) {
      let sent = 0;
      try {
        sent = await this.deliverDue(url);
      } catch (err) {
        this.log.warn(`outbox pass failed: ${(err as Error).message}`);
      }
      if (sent < BATCH) await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  async deliverDue(url: string): Promise<number> {
    const { rows } = await this.db.pool.query<OutboxRow>(
      `UPDATE alert_outbox SET next_attempt_at = now() + make_interval(secs => $1)
        WHERE id IN (SELECT id FROM alert_outbox WHERE status = 'pending' AND next_attempt_at <= now()
                      ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING id, idempotency_key, payload, attempts`,
      [LEASE_S, BATCH],
    );
    // In id order, one at a time: the central server sees an alert's events in order.
    for (const row of rows) await this.deliver(url, row);
    return rows.length;
  }

  private async deliver(url: string, row: OutboxRow): Promise<void> {
    let error: string | null = null;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': row.idempotency_key },
        body: JSON.stringify(row.payload),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      if (!res.ok) error = `HTTP ${res.status}`;
    } catch (err) {
      error = (err as Error).cause ? String((err as Error & { cause: Error }).cause.message ?? (err as Error).cause) : (err as Error).message;
    }
    if (error === null) {
      await this.db.pool.query(`UPDATE alert_outbox SET status = 'delivered', attempts = attempts + 1, delivered_at = now(), last_error = NULL WHERE id = $1`, [row.id]);
      return;
    }
    const decision = nextRetry(row.attempts + 1, Date.now(), row.idempotency_key, this.config.retry);
    if (decision.retry) {
      await this.db.pool.query(`UPDATE alert_outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3 WHERE id = $1`, [
        row.id,
        error,
        new Date(decision.retryAt).toISOString(),
      ]);
    } else {
      await this.db.pool.query(`UPDATE alert_outbox SET status = 'failed', attempts = attempts + 1, last_error = $2 WHERE id = $1`, [row.id, error]);
    }
  }
}
