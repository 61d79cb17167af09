// Writes of the live pipeline's results: one statement per flush for all three tables, and the
// range query for gap filling.
import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service';
import type { BandPowerEvent, PredictionEvent, QualityEvent } from './pipeline.events';

export interface ResultRows {
  predictions: PredictionEvent[];
  bandPowers: (BandPowerEvent & { receivedAtUs: number })[];
  quality: (QualityEvent & { receivedAtUs: number })[];
}

/** Microseconds since the epoch → ISO-8601 with all six fractional digits (timestamptz keeps µs). */
export const isoUs = (us: number) => {
  const t = Math.round(us);
  const ms = Math.floor(t / 1000);
  return new Date(ms).toISOString().replace('Z', `${String(t - ms * 1000).padStart(3, '0')}Z`);
};

@Injectable()
export class PipelineRepository {
  constructor(private readonly db: DatabaseService) {}

  /** All rows in one round trip (data-modifying CTEs run as one statement, atomically). */
  async write(r: ResultRows): Promise<void> {
    const p = r.predictions;
    const b = r.bandPowers;
    const q = r.quality;
    if (!p.length && !b.length && !q.length) return;
    await this.db.pool.query(
      `WITH p AS (
         INSERT INTO predictions (device_id, window_end_time, window_index, label, classes, probabilities, model_id, model_version, received_at, emitted_at)
         SELECT d, t, i, l, ARRAY(SELECT jsonb_array_elements_text(c)), pr, m, v, ra, ea
           FROM unnest($1::text[], $2::timestamptz[], $3::int8[], $4::text[], $5::jsonb[], $6::jsonb[], $7::text[], $8::int4[], $9::timestamptz[], $10::timestamptz[])
             AS x(d, t, i, l, c, pr, m, v, ra, ea)
         ON CONFLICT DO NOTHING RETURNING 1
       ), b AS (
         INSERT INTO band_powers (device_id, device_time, bands, channels, relative, received_at)
         SELECT d, t, ARRAY(SELECT jsonb_array_elements_text(bs)), ARRAY(SELECT jsonb_array_elements_text(cs)), rel, ra
           FROM unnest($11::text[], $12::timestamptz[], $13::jsonb[], $14::jsonb[], $15::jsonb[], $16::timestamptz[]) AS x(d, t, bs, cs, rel, ra)
         ON CONFLICT DO NOTHING RETURNING 1
       ), q AS (
         INSERT INTO signal_quality (device_id, device_time, channels, bad, received_at)
         SELECT * FROM unnest($17::text[], $18::timestamptz[], $19::jsonb[], $20::int4[], $21::timestamptz[])
         ON CONFLICT DO NOTHING RETURNING 1
       )
       SELECT (SELECT count(*) FROM p) + (SELECT count(*) FROM b) + (SELECT count(*) FROM q) AS n`,
      [
        p.map((x) => x.deviceId),
        p.map((x) => isoUs(x.windowEndUs)),
        p.map((x) => x.windowIndex),
        p.map((x) => x.label),
        p.map((x) => JSON.stringify(x.classes)),
        p.map((x) => JSON.stringify(x.probabilities)),
        p.map((x) => x.modelId),
        p.map((x) => x.modelVersion),
        p.map((x) => isoUs(x.receivedAtUs)),
        p.map((x) => isoUs(x.emittedAtUs)),
        b.map((x) => x.deviceId),
        b.map((x) => isoUs(x.timeUs)),
        b.map((x) => JSON.stringify(x.bands)),
        b.map((x) => JSON.stringify(x.channels)),
        b.map((x) => JSON.stringify(x.relative)),
        b.map((x) => isoUs(x.receivedAtUs)),
        q.map((x) => x.deviceId),
        q.map((x) => isoUs(x.timeUs)),
        q.map((x) => JSON.stringify(x.channels)),
        q.map((x) => x.channels.filter((c) => c.verdict !== 'good').length),
        q.map((x) => isoUs(x.receivedAtUs)),
      ],
    );
  }

  /** Stored predictions with window end in [fromUs, toUs), in time order. */
  async predictions(deviceId: string, fromUs: number, toUs: number, limit: number) {
    const { rows } = await this.db.pool.query(
      `SELECT window_index::float8 AS "windowIndex",
              ((extract(epoch FROM window_end_time) * 1e6)::numeric)::float8 AS "windowEndUs",
              label, classes, probabilities, model_id AS "modelId", model_version AS "modelVersion",
              received_at AS "receivedAt", emitted_at AS "emittedAt"
         FROM predictions
        WHERE device_id = $1 AND window_end_time >= $2::timestamptz AND window_end_time < $3::timestamptz
        ORDER BY window_end_time, model_id LIMIT $4`,
      [deviceId, isoUs(fromUs), isoUs(toUs), limit],
    );
    return rows.map((r) => ({ ...r, windowEndUs: Math.round(r.windowEndUs) }));
  }
}
