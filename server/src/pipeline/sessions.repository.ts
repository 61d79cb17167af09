// Calibration sessions and the data inside them (EEG chunks, markers) for training.
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { SessionRecord } from '@bci/shared';
import { DatabaseService } from '../database/database.service';

export type SessionRow = SessionRecord;

export interface SessionChunk {
  seq: number;
  t0Us: number;
  nSamples: number;
  samples: Float32Array;
}

const COLUMNS = `id, device_id AS "deviceId", subject, created_at AS "createdAt",
  started_at_us::float8 AS "startedAtUs", stopped_at_us::float8 AS "stoppedAtUs"`;

@Injectable()
export class SessionsRepository {
  constructor(private readonly db: DatabaseService) {}

  async create(deviceId: string, subject: string): Promise<SessionRow> {
    const { rows } = await this.db.pool.query(`INSERT INTO sessions (id, device_id, subject) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`, [randomUUID(), deviceId, subject]);
    return rows[0];
  }

  async get(id: string): Promise<SessionRow | undefined> {
    const { rows } = await this.db.pool.query(`SELECT ${COLUMNS} FROM sessions WHERE id = $1`, [id]);
    return rows[0];
  }

  async list(deviceId?: string): Promise<SessionRow[]> {
    const { rows } = await this.db.pool.query(`SELECT ${COLUMNS} FROM sessions WHERE $1::text IS NULL OR device_id = $1 ORDER BY created_at DESC LIMIT 1000`, [deviceId ?? null]);
    return rows;
  }

  async setBound(id: string, which: 'start' | 'stop', us: number): Promise<SessionRow | undefined> {
    const col = which === 'start' ? 'started_at_us' : 'stopped_at_us';
    const { rows } = await this.db.pool.query(`UPDATE sessions SET ${col} = $2 WHERE id = $1 RETURNING ${COLUMNS}`, [id, us]);
    return rows[0];
  }

  async delete(id: string): Promise<boolean> {
    const { rowCount } = await this.db.pool.query('DELETE FROM sessions WHERE id = $1', [id]);
    return (rowCount ?? 0) > 0;
  }

  /** Device time just after the newest stored chunk of a device (its last sample + one period). */
  async latestChunkEndUs(deviceId: string): Promise<number | null> {
    const { rows } = await this.db.pool.query(
      `SELECT (t0_us + round(n_samples * 1e6 / fs_hz))::float8 AS end_us FROM eeg_chunks WHERE device_id = $1 ORDER BY device_time DESC LIMIT 1`,
      [deviceId],
    );
    return rows[0] ? Number(rows[0].end_us) : null;
  }

  /** Markers with time in [fromUs, toUs). */
  async markers(deviceId: string, fromUs: number, toUs: number): Promise<{ timeUs: number; code: string; label: string; durationS: number | null; source: string }[]> {
    const { rows } = await this.db.pool.query(
      `SELECT time_us::float8 AS "timeUs", code, label, duration_s AS "durationS", source FROM markers
        WHERE device_id = $1 AND time_us >= $2 AND time_us < $3 ORDER BY time_us, code`,
      [deviceId, fromUs, toUs],
    );
    return rows;
  }

  /** Adds a marker by hand (source 'manual'); false if one with that time and code exists. */
  async addMarker(deviceId: string, m: { timeUs: number; code: string; label: string; durationS: number | null }): Promise<boolean> {
    const res = await this.db.pool.query(
      `INSERT INTO markers (device_id, device_time, time_us, code, label, duration_s, received_at, source)
       VALUES ($1, to_timestamp($2::float8 / 1e6), $2, $3, $4, $5, now(), 'manual') ON CONFLICT DO NOTHING`,
      [deviceId, m.timeUs, m.code, m.label, m.durationS],
    );
    return (res.rowCount ?? 0) > 0;
  }

  /** Deletes one marker of the device; returns what was deleted. */
  async deleteMarker(deviceId: string, timeUs: number, code: string): Promise<{ label: string; source: string } | undefined> {
    const { rows } = await this.db.pool.query(
      `DELETE FROM markers WHERE device_id = $1 AND time_us = $2 AND code = $3 RETURNING label, source`,
      [deviceId, timeUs, code],
    );
    return rows[0];
  }

  /** Chunks whose first sample lies in [fromUs, toUs), in seq order, samples decoded. */
  async chunks(deviceId: string, fromUs: number, toUs: number): Promise<SessionChunk[]> {
    // t0_us decides (exact); the device_time bounds, a second wider, only let the index do the work.
    const { rows } = await this.db.pool.query(
      `SELECT seq::float8 AS seq, t0_us::float8 AS t0, n_samples, samples FROM eeg_chunks
        WHERE device_id = $1 AND device_time >= to_timestamp($2::float8 / 1e6 - 1) AND device_time < to_timestamp($3::float8 / 1e6 + 1)
          AND t0_us >= $2 AND t0_us < $3
        ORDER BY seq`,
      [deviceId, fromUs, toUs],
    );
    return rows.map((r) => {
      const bytes = r.samples as Buffer;
      // Copy into an aligned buffer: driver buffers may start at any offset.
      const samples = new Float32Array(bytes.byteLength / 4);
      new Uint8Array(samples.buffer).set(bytes);
      return { seq: r.seq, t0Us: r.t0, nSamples: r.n_samples, samples };
    });
  }

  async device(deviceId: string): Promise<{ fsHz: number; channels: string[] } | undefined> {
    const { rows } = await this.db.pool.query(`SELECT fs_hz AS "fsHz", channels FROM devices WHERE device_id = $1 AND kind = 'eeg'`, [deviceId]);
    return rows[0];
  }
}
