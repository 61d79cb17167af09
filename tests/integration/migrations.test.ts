import { Client } from 'pg';
import { planMigrations, runMigrations } from '@bci/db';
import { createTestDatabase, type TestDatabase } from '../support/pg';

describe('migration runner on plain PostgreSQL', () => {
  let db: TestDatabase;
  let client: Client;
  beforeAll(async () => {
    db = await createTestDatabase();
    client = new Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  it('applies every migration once, in order, and records each', async () => {
    const first = await runMigrations(client);
    expect(first.flavour).toBe('plain');
    expect(first.applied).toEqual(planMigrations('plain').map((m) => m.file));
    const second = await runMigrations(client);
    expect(second.applied).toEqual([]);
    const { rows } = await client.query('SELECT version, flavour FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(planMigrations('plain').map((m) => m.version));
  });

  it('serves the rollup views with the same columns as the continuous aggregates', async () => {
    await client.query(`INSERT INTO sensor_readings (device_id, metric, device_time, value, received_at) VALUES
      ('p1','flow_rate','2026-01-01T00:00:10Z',1,now()), ('p1','flow_rate','2026-01-01T00:00:50Z',3,now()),
      ('p1','flow_rate','2026-01-01T00:01:10Z',10,now())`);
    const { rows } = await client.query(`SELECT bucket, avg, min, max, n FROM sensor_readings_1m WHERE device_id='p1' AND metric='flow_rate' ORDER BY bucket`);
    expect(rows.map((r) => [Number(r.avg), Number(r.min), Number(r.max), Number(r.n)])).toEqual([[2, 1, 3, 2], [10, 10, 10, 1]]);
    const hour = await client.query(`SELECT avg, n FROM sensor_readings_1h WHERE device_id='p1'`);
    expect(Number(hour.rows[0].n)).toBe(3);
  });

  it('plans the Timescale branch with hypertables, continuous aggregates outside a transaction', () => {
    const ts = planMigrations('timescale');
    const byFile = new Map(ts.map((m) => [m.file, m]));
    expect(ts.map((m) => m.version)).toEqual(planMigrations('plain').map((m) => m.version));
    expect(byFile.get('002_time_partitioning.timescale.sql')!.sql).toMatch(/create_hypertable\('sensor_readings'/);
    const rollups = byFile.get('003_sensor_rollups.timescale.sql')!;
    expect(rollups.transactional).toBe(false);
    expect(rollups.sql).toMatch(/timescaledb\.continuous/);
    // A version with a common part and a flavour part runs both, common first, as one migration.
    const pipeline = ts.find((m) => m.version === '007')!;
    expect(pipeline.file).toBe('007_pipeline.sql+007_pipeline.timescale.sql');
    expect(pipeline.sql.indexOf('CREATE TABLE predictions')).toBeLessThan(pipeline.sql.indexOf("create_hypertable('predictions'"));
    expect(planMigrations('plain').find((m) => m.version === '007')!.sql).not.toMatch(/create_hypertable/);
  });
});
