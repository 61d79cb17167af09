// Trained models: stored artefacts, per-device versions, the one active model per device.
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ModelView } from '@bci/shared';
import { DatabaseService } from '../database/database.service';

export type ModelRow = ModelView;

const COLUMNS = `id, device_id AS "deviceId", subject, session_id AS "sessionId", pipeline, version, metrics, created_at AS "createdAt", active`;

@Injectable()
export class ModelsRepository {
  constructor(private readonly db: DatabaseService) {}

  /** Stores a model as the device's next version (inactive). */
  async insert(m: { deviceId: string; subject: string | null; sessionId: string | null; pipeline: string; artifact: unknown; metrics: unknown }): Promise<ModelRow> {
    // The unique (device_id, version) key turns a concurrent insert into a retry, never a duplicate.
    for (let attempt = 0; ; attempt++) {
      try {
        const { rows } = await this.db.pool.query(
          `INSERT INTO models (id, device_id, subject, session_id, pipeline, version, artifact, metrics)
           SELECT $1, $2, $3, $4, $5, coalesce(max(version), 0) + 1, $6, $7 FROM models WHERE device_id = $2
           RETURNING ${COLUMNS}`,
          [randomUUID(), m.deviceId, m.subject, m.sessionId, m.pipeline, JSON.stringify(m.artifact), JSON.stringify(m.metrics ?? null)],
        );
        return rows[0];
      } catch (err) {
        if ((err as { code?: string }).code !== '23505' || attempt >= 3) throw err;
      }
    }
  }

  async list(deviceId?: string): Promise<ModelRow[]> {
    const { rows } = await this.db.pool.query(`SELECT ${COLUMNS} FROM models WHERE $1::text IS NULL OR device_id = $1 ORDER BY device_id, version DESC LIMIT 1000`, [deviceId ?? null]);
    return rows;
  }

  async get(id: string): Promise<(ModelRow & { artifact: unknown }) | undefined> {
    const { rows } = await this.db.pool.query(`SELECT ${COLUMNS}, artifact FROM models WHERE id = $1`, [id]);
    return rows[0];
  }

  async activeModels(): Promise<(ModelRow & { artifact: unknown })[]> {
    const { rows } = await this.db.pool.query(`SELECT ${COLUMNS}, artifact FROM models WHERE active`);
    return rows;
  }

  /** Makes `id` the only active model of its device. */
  async activate(id: string, deviceId: string): Promise<ModelRow> {
    const client = await this.db.pool.connect();
    let failed: Error | undefined;
    try {
      await client.query('BEGIN');
      await client.query('UPDATE models SET active = false WHERE device_id = $1 AND active AND id <> $2', [deviceId, id]);
      const { rows } = await client.query(`UPDATE models SET active = true WHERE id = $1 RETURNING ${COLUMNS}`, [id]);
      await client.query('COMMIT');
      return rows[0];
    } catch (err) {
      failed = err as Error;
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release(failed);
    }
  }
}
