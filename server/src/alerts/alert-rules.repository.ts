import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service';
import type { AlertRule, AlertRulePatch, NewAlertRule } from '@bci/streams/anomaly';

const COLUMNS = `id::float8 AS id, device_id AS "deviceId", name, kind, expression, stage, enabled, created_by AS "createdBy",
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "createdAt",
  to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "updatedAt"`;

@Injectable()
export class AlertRulesRepository {
  constructor(private readonly db: DatabaseService) {}

  /** Every rule (or those of one scope: a device's own plus the global ones), in id order. */
  async list(deviceId?: string): Promise<AlertRule[]> {
    const { rows } = await this.db.pool.query<AlertRule>(
      `SELECT ${COLUMNS} FROM alert_rules WHERE $1::text IS NULL OR device_id = $1 OR device_id IS NULL ORDER BY id`,
      [deviceId ?? null],
    );
    return rows;
  }

  async get(id: number): Promise<AlertRule | undefined> {
    const { rows } = await this.db.pool.query<AlertRule>(`SELECT ${COLUMNS} FROM alert_rules WHERE id = $1`, [id]);
    return rows[0];
  }

  /** Throws the driver's unique violation (code 23505) when the name is taken in that scope. */
  async create(r: NewAlertRule, by: string): Promise<AlertRule> {
    const { rows } = await this.db.pool.query<AlertRule>(
      `INSERT INTO alert_rules (device_id, name, kind, expression, stage, enabled, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [r.deviceId, r.name, r.kind, r.expression, r.stage, r.enabled, by.slice(0, 200)],
    );
    return rows[0]!;
  }

  async update(id: number, p: AlertRulePatch): Promise<AlertRule | undefined> {
    const { rows } = await this.db.pool.query<AlertRule>(
      `UPDATE alert_rules SET expression = COALESCE($2, expression), stage = COALESCE($3, stage), enabled = COALESCE($4, enabled), updated_at = now()
        WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, p.expression ?? null, p.stage ?? null, p.enabled ?? null],
    );
    return rows[0];
  }

  async delete(id: number): Promise<AlertRule | undefined> {
    const { rows } = await this.db.pool.query<AlertRule>(`DELETE FROM alert_rules WHERE id = $1 RETURNING ${COLUMNS}`, [id]);
    return rows[0];
  }
}
