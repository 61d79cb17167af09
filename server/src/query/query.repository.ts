import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service';

export interface StoredChunk {
  seq: number;
  t0Us: number;
  fsHz: number;
  nSamples: number;
  samples: Buffer;
  receivedAt: string;
  storedAt: string;
}

export type SensorResolution = 'raw' | '1m' | '1h';

@Injectable()
export class QueryRepository {
  constructor(private readonly db: DatabaseService) {}

  async devices() {
    const { rows } = await this.db.pool.query(
      `SELECT device_id AS "deviceId", kind, fs_hz AS "fsHz", channels, unit,
              first_seen_at AS "firstSeenAt", last_seen_at AS "lastSeenAt"
         FROM devices ORDER BY device_id`,
    );
    return rows;
  }

  async device(deviceId: string) {
    const { rows } = await this.db.pool.query(
      `SELECT device_id AS "deviceId", kind, fs_hz AS "fsHz", channels, unit FROM devices WHERE device_id = $1`,
      [deviceId],
    );
    return rows[0] as { deviceId: string; kind: string; fsHz: number; channels: string[]; unit: string } | undefined;
  }

  /** Chunks whose first sample lies in [fromUs, toUs), in seq order. */
  async eegChunks(deviceId: string, fromUs: number, toUs: number, limit: number): Promise<StoredChunk[]> {
    const { rows } = await this.db.pool.query(
      `SELECT seq, t0_us, fs_hz, n_samples, samples, received_at, stored_at FROM eeg_chunks
        WHERE device_id = $1 AND device_time >= to_timestamp($2::float8 / 1e6) AND device_time < to_timestamp($3::float8 / 1e6)
        ORDER BY seq LIMIT $4`,
      [deviceId, fromUs, toUs, limit],
    );
    return rows.map((r) => ({
      seq: Number(r.seq),
      t0Us: Number(r.t0_us),
      fsHz: r.fs_hz,
      nSamples: r.n_samples,
      samples: r.samples,
      receivedAt: r.received_at.toISOString(),
      storedAt: r.stored_at.toISOString(),
    }));
  }

  async markers(deviceId: string, fromUs: number, toUs: number) {
    const { rows } = await this.db.pool.query(
      `SELECT time_us::float8 AS "timeUs", code, label, duration_s AS "durationS", received_at AS "receivedAt"
         FROM markers WHERE device_id = $1 AND device_time >= to_timestamp($2::float8 / 1e6) AND device_time < to_timestamp($3::float8 / 1e6)
        ORDER BY device_time`,
      [deviceId, fromUs, toUs],
    );
    return rows;
  }

  async sensor(deviceId: string, metric: string | undefined, from: Date, to: Date, resolution: SensorResolution) {
    if (resolution === 'raw') {
      const { rows } = await this.db.pool.query(
        `SELECT metric, device_time AS time, value, received_at AS "receivedAt" FROM sensor_readings
          WHERE device_id = $1 AND ($2::text IS NULL OR metric = $2) AND device_time >= $3 AND device_time < $4
          ORDER BY metric, device_time LIMIT 100000`,
        [deviceId, metric ?? null, from, to],
      );
      return rows;
    }
    const view = resolution === '1m' ? 'sensor_readings_1m' : 'sensor_readings_1h';
    const { rows } = await this.db.pool.query(
      `SELECT metric, bucket AS time, avg, min, max, n::int AS n FROM ${view}
        WHERE device_id = $1 AND ($2::text IS NULL OR metric = $2) AND bucket >= $3 AND bucket < $4
        ORDER BY metric, bucket LIMIT 100000`,
      [deviceId, metric ?? null, from, to],
    );
    return rows;
  }

  async rejected(deviceId: string | undefined, fault: string | undefined, limit: number) {
    const { rows } = await this.db.pool.query(
      `SELECT id::float8 AS id, stream, stream_seq::float8 AS "streamSeq", subject, device_id AS "deviceId", kind, fault, reason,
              headers, length(payload) AS "payloadBytes", received_at AS "receivedAt"
         FROM rejected_messages WHERE ($1::text IS NULL OR device_id = $1) AND ($2::text IS NULL OR fault = $2)
        ORDER BY id DESC LIMIT $3`,
      [deviceId ?? null, fault ?? null, limit],
    );
    return rows;
  }
}
