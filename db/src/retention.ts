// Retention of raw sensor readings (default one year) and raw EEG. TimescaleDB drops whole
// chunks through its own background job; plain PostgreSQL gets a batched DELETE that the
// server runs on a schedule.
import type { ClientBase } from 'pg';
import type { Flavour } from './flavour';

export interface RetentionConfig {
  sensorReadingsDays: number;
  eegChunksDays: number;
}

export const DEFAULT_RETENTION: RetentionConfig = { sensorReadingsDays: 365, eegChunksDays: 365 };

const TABLES: [keyof RetentionConfig, string][] = [
  ['sensorReadingsDays', 'sensor_readings'],
  ['eegChunksDays', 'eeg_chunks'],
];

/** Timescale: (re)installs the retention policies. Call at start-up when the config may have changed. */
export async function configureRetention(client: ClientBase, flavour: Flavour, cfg: RetentionConfig): Promise<void> {
  if (flavour !== 'timescale') return;
  for (const [key, table] of TABLES) {
    await client.query(`SELECT remove_retention_policy($1::regclass, if_exists => true)`, [table]);
    await client.query(`SELECT add_retention_policy($1::regclass, make_interval(days => $2::int))`, [table, cfg[key]]);
  }
}

/** Plain PostgreSQL: deletes expired rows in batches (so locks stay short). Returns rows deleted. */
export async function enforceRetention(client: ClientBase, flavour: Flavour, cfg: RetentionConfig, batch = 50_000): Promise<number> {
  if (flavour === 'timescale') return 0;
  let total = 0;
  for (const [key, table] of TABLES) {
    for (;;) {
      const res = await client.query(
        `DELETE FROM ${table} WHERE ctid = ANY (ARRAY(
           SELECT ctid FROM ${table} WHERE device_time < now() - make_interval(days => $1::int) LIMIT $2))`,
        [cfg[key], batch],
      );
      total += res.rowCount ?? 0;
      if ((res.rowCount ?? 0) < batch) break;
    }
  }
  return total;
}
