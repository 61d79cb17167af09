// Ingest survives PostgreSQL going down and coming back midway.
import { startNats, type PrivateNats } from '../support/nats-server';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres';
import { runDurabilityScenario } from '../support/durability';

describe('ingest across a PostgreSQL restart', () => {
  let nats: PrivateNats;
  let pg: PrivatePostgres;
  beforeAll(async () => {
    nats = await startNats();
    pg = await startPrivatePostgres();
  });
  afterAll(async () => {
    await nats?.stop();
    pg?.destroy();
  });

  it('stores exactly N chunks per device, in order, after the database restarts', async () => {
    const N = 150;
    const result = await runDurabilityScenario({
      natsUrl: nats.url,
      databaseUrl: pg.url,
      devices: 4,
      chunksPerDevice: N,
      publishIntervalMs: 15,
      disrupt: async () => {
        pg.stop('immediate');
        await new Promise((r) => setTimeout(r, 1_500));
        pg.start();
      },
    });
    expect(result.serverLogs).toMatch(/not stored .*redelivering/);
    for (const d of result.perDevice) expect(d).toEqual({ deviceId: d.deviceId, count: N, distinct: N, inOrder: true, digestOk: true });
  });
});
