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

  /**
   * All rows in one round trip (data-modifying CTEs run as one statement, atomically). Each table's
   * rows travel as one JSON document expanded by jsonb_to_recordset: one JSON.stringify per table.
   * (Arrays of per-row JSON strings made pg escape every element into an array literal: a third of
   * everything the server thread allocated under load.)
   */
  async write(r: ResultRows): Promise<void> {
    const p = r.predictions;
    const b = r.bandPowers;
    const q = r.quality;
    if (!p.length && !b.length && !q.length) return;
    await this.db.pool.query(
      `WITH p AS (
         INSERT INTO predictions (device_id, window_end_time, window_index, label, classes, probabilities, model_id, model_version, received_at, emitted_at)
         SELECT d, t, i, l, c, pr, m, v, ra, ea
           FROM jsonb_to_recordset($1::jsonb)
             AS x(d text, t timestamptz, i int8, l text, c text[], pr jsonb, m text, v int4, ra timestamptz, ea timestamptz)
         ON CONFLICT DO NOTHING RETURNING 1
       ), b AS (
         INSERT INTO band_powers (device_id, device_time, bands, channels, relative, received_at)
         SELECT d, t, bs, cs, rel, ra
           FROM jsonb_to_recordset($2::jsonb) AS x(d text, t timestamptz, bs text[], cs text[], rel jsonb, ra timestamptz)
         ON CONFLICT DO NOTHING RETURNING 1
       ), q AS (
         INSERT INTO signal_quality (device_id, device_time, channels, bad, received_at)
         SELECT d, t, ch, bad, ra
           FROM jsonb_to_recordset($3::jsonb) AS x(d text, t timestamptz, ch jsonb, bad int4, ra timestamptz)
         ON CONFLICT DO NOTHING RETURNING 1
       )
       SELECT (SELECT count(*) FROM p) + (SELECT count(*) FROM b) + (SELECT count(*) FROM q) AS n`,
      [
        JSON.stringify(
          p.map((x) => ({
            d: x.deviceId,
            t: isoUs(x.windowEndUs),
            i: x.windowIndex,
            l: x.label,
            c: x.classes,
            pr: x.probabilities,
            m: x.modelId,
            v: x.modelVersion,
            ra: isoUs(x.receivedAtUs),
            ea: isoUs(x.emittedAtUs),
          })),
        ),
        JSON.stringify(b.map((x) => ({ d: x.deviceId, t: isoUs(x.timeUs), bs: x.bands, cs: x.channels, rel: x.relative, ra: isoUs(x.receivedAtUs) }))),
        JSON.stringify(
          q.map((x) => ({ d: x.deviceId, t: isoUs(x.timeUs), ch: x.channels, bad: x.channels.filter((c) => c.verdict !== 'good').length, ra: isoUs(x.receivedAtUs) })),
        ),
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
