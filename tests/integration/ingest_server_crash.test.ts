// Ingest survives the server being SIGKILLed midway: nothing lost, nothing duplicated.
import { startNats, type PrivateNats } from '../support/nats-server';
import { createTestDatabase, type TestDatabase } from '../support/pg';
import { startServer } from '../support/server-process';
import { runDurabilityScenario } from '../support/durability';

describe('ingest across a server crash', () => {
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

  it('stores exactly N chunks per device, in order, after SIGKILL and restart', async () => {
    const N = 150;
    const result = await runDurabilityScenario({
      natsUrl: nats.url,
      databaseUrl: db.url,
      devices: 4,
      chunksPerDevice: N,
      publishIntervalMs: 15,
      disrupt: async (ctx) => {
        await ctx.server.kill('SIGKILL');
        await new Promise((r) => setTimeout(r, 300));
        ctx.server = await startServer(ctx.serverEnv);
      },
    });
    for (const d of result.perDevice) expect(d).toEqual({ deviceId: d.deviceId, count: N, distinct: N, inOrder: true, digestOk: true });
  });
});
