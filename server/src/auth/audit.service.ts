// The audit trail: who did what, to what, and when. Writing never fails the action it records
// (a failed insert is logged), and reads are for admins through GET /api/audit.
import { Injectable, Logger } from '@nestjs/common';
import type { AuditEntry } from '@bci/shared';
import { DatabaseService } from '../database/database.service';

export type AuditAction =
  | 'login'
  | 'login_failed'
  | 'logout'
  | 'alert.acknowledge'
  | 'alert.clear'
  | 'alert.close'
  | 'alert_rule.create'
  | 'alert_rule.update'
  | 'alert_rule.delete'
  | 'model.activate'
  | 'session.delete'
  | 'session.marker.add'
  | 'session.marker.delete'
  | 'user.create'
  | 'user.update'
  | 'user.delete';

export interface AuditQuery {
  actor?: string;
  action?: string;
  from?: Date;
  to?: Date;
  limit: number;
}

@Injectable()
export class AuditService {
  private readonly log = new Logger('Audit');

  constructor(private readonly db: DatabaseService) {}

  async record(actor: string, action: AuditAction, target: string | null, details: Record<string, unknown> = {}): Promise<void> {
    try {
      await this.db.pool.query('INSERT INTO audit_log (actor, action, target, details) VALUES ($1, $2, $3, $4)', [actor.slice(0, 200), action, target, JSON.stringify(details)]);
    } catch (err) {
      this.log.error(`could not record ${action} by ${actor} on ${target}: ${(err as Error).message}`);
    }
  }

  async query(q: AuditQuery): Promise<AuditEntry[]> {
    const { rows } = await this.db.pool.query(
      `SELECT id::float8 AS id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, actor, action, target, details
         FROM audit_log
        WHERE ($1::text IS NULL OR actor = $1) AND ($2::text IS NULL OR action = $2)
          AND ($3::timestamptz IS NULL OR at >= $3) AND ($4::timestamptz IS NULL OR at < $4)
        ORDER BY at DESC, id DESC LIMIT $5`,
      [q.actor ?? null, q.action ?? null, q.from ?? null, q.to ?? null, q.limit],
    );
    return rows;
  }
}
