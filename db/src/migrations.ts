// Migration runner: ordered SQL files NNN_name[.timescale|.plain].sql. For each version the
// runner applies the common file and/or the variant for the database's flavour, each version in its own
// transaction unless its first line is `-- migrate:no-transaction`, and records it in
// schema_migrations with a checksum so an edited, already-applied file is caught.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ClientBase } from 'pg';
import { detectFlavour, type Flavour } from './flavour';

export const MIGRATIONS_DIR = path.join(__dirname, '..', 'migrations');
const FILE_PATTERN = /^(\d{3,})_([a-z0-9_]+)(?:\.(timescale|plain))?\.sql$/;
// Any constant works: it only has to be the same for every process migrating this database.
const ADVISORY_LOCK_KEY = 724_311_001;

export interface Migration {
  version: string;
  name: string;
  file: string;
  sql: string;
  checksum: string;
  transactional: boolean;
}

/** The migrations this flavour gets, in order. Throws on a version with no matching file. */
export function planMigrations(flavour: Flavour, dir = MIGRATIONS_DIR): Migration[] {
  const byVersion = new Map<string, { name: string; common?: string; timescale?: string; plain?: string }>();
  for (const file of fs.readdirSync(dir).sort()) {
    const m = FILE_PATTERN.exec(file);
    if (!m) continue;
    const [, version, name, variant] = m;
    const entry = byVersion.get(version) ?? { name };
    if (entry.name !== name) throw new Error(`migration ${version} has two names: ${entry.name} and ${name}`);
    entry[(variant as Flavour | undefined) ?? 'common'] = file;
    byVersion.set(version, entry);
  }
  return [...byVersion.entries()]
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([version, e]) => {
      // A version may have a common part and a flavour part (shared DDL, then hypertables or
      // plain indexes): they run in that order as one migration.
      const parts = [e.common, e[flavour]].filter((f): f is string => f !== undefined);
      if (!parts.length) throw new Error(`migration ${version}_${e.name} has no ${flavour} or common variant`);
      const texts = parts.map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
      const sql = texts.join('\n');
      return {
        version,
        name: e.name,
        file: parts.join('+'),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
        transactional: !texts.some((t) => /^\s*--\s*migrate:no-transaction/.test(t)),
      };
    });
}

export interface MigrationResult {
  flavour: Flavour;
  applied: string[];
}

export async function runMigrations(client: ClientBase, dir = MIGRATIONS_DIR): Promise<MigrationResult> {
  await client.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK_KEY]);
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY, name text NOT NULL, file text NOT NULL, flavour text NOT NULL,
      checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const recorded = await client.query<{ version: string; flavour: Flavour; checksum: string; file: string }>(
      'SELECT version, flavour, checksum, file FROM schema_migrations',
    );
    // A database keeps the flavour it was first migrated with.
    const flavour = recorded.rows[0]?.flavour ?? (await detectFlavour(client));
    const done = new Map(recorded.rows.map((r) => [r.version, r]));
    const applied: string[] = [];
    for (const m of planMigrations(flavour, dir)) {
      const prior = done.get(m.version);
      if (prior) {
        if (prior.checksum !== m.checksum) throw new Error(`migration ${m.file} changed after it was applied (as ${prior.file}); add a new migration instead`);
        continue;
      }
      if (m.transactional) await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, file, flavour, checksum) VALUES ($1, $2, $3, $4, $5)', [
          m.version,
          m.name,
          m.file,
          flavour,
          m.checksum,
        ]);
        if (m.transactional) await client.query('COMMIT');
      } catch (err) {
        if (m.transactional) await client.query('ROLLBACK');
        throw new Error(`migration ${m.file} failed: ${(err as Error).message}`);
      }
      applied.push(m.file);
    }
    return { flavour, applied };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK_KEY]);
  }
}
