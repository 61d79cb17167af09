// Ingest survives nats-server restarting midway (streams on disk, clients reconnect).
import { startNats, type PrivateNats } from '../support/nats-server';
import { createTestDatabase, type TestDatabase } from '../support/pg';
import { runDurabilityScenario } from '../support/durability';

describe('ingest across a nats-server restart', () => {
  let nats: PrivateNats;
  let db: TestDatabase;
  beforeAll(async () => {
    nats = await startNats();
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await nats?.stop();
    await db?.drop();
  });

  it('stores exactly N chunks per device, in order, after the broker restarts', async () => {
    const N = 150;
    const result = await runDurabilityScenario({
      natsUrl: nats.url,
      databaseUrl: db.url,
      devices: 4,
      chunksPerDevice: N,
      publishIntervalMs: 15,
      disrupt: async () => {
        await nats.restart(1_000);
      },
    });
    expect(result.serverLogs).toMatch(/NATS (disconnect|reconnect)/);
    for (const d of result.perDevice) expect(d).toEqual({ deviceId: d.deviceId, count: N, distinct: N, inOrder: true, digestOk: true });
  });
});
