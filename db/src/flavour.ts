import type { ClientBase } from 'pg';

/** Which SQL branch the database gets: TimescaleDB features, or plain PostgreSQL equivalents. */
export type Flavour = 'timescale' | 'plain';

/**
 * TimescaleDB is used when its extension is installed or can be installed; BCI_DB_FLAVOUR=plain
 * forces the plain branch (e.g. to test it against a Timescale server).
 */
export async function detectFlavour(client: ClientBase, forced = process.env.BCI_DB_FLAVOUR): Promise<Flavour> {
  if (forced === 'plain' || forced === 'timescale') return forced;
  const { rows } = await client.query<{ installed: boolean; available: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') AS installed,
            EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') AS available`,
  );
  if (rows[0].installed) return 'timescale';
  if (!rows[0].available) return 'plain';
  await client.query('CREATE EXTENSION IF NOT EXISTS timescaledb');
  return 'timescale';
}
