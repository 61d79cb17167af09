// `npm run migrate`: applies pending migrations to DATABASE_URL.
import { Client } from 'pg';
import { runMigrations } from './migrations';

async function main(): Promise<void> {
  const client = new Client({ connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' });
  await client.connect();
  try {
    const { flavour, applied } = await runMigrations(client);
    console.log(`database flavour: ${flavour}; applied ${applied.length} migration(s)${applied.length ? ': ' + applied.join(', ') : ''}`);
  } finally {
    await client.end();
  }
}
main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});
