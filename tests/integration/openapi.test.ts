// The REST API is described by OpenAPI at /api/docs-json, with every route the server mounts.
import { startNats, type PrivateNats } from '../support/nats-server';
import { createTestDatabase, type TestDatabase } from '../support/pg';
import { startServer, type ServerProcess } from '../support/server-process';

describe('OpenAPI description', () => {
  let nats: PrivateNats;
  let db: TestDatabase;
  let server: ServerProcess;
  beforeAll(async () => {
    nats = await startNats();
    db = await createTestDatabase();
    server = await startServer({ DATABASE_URL: db.url, NATS_URL: nats.url });
  });
  afterAll(async () => {
    await server?.kill();
    await nats?.stop();
    await db?.drop();
  });

  it('lists the query, alert and health routes', async () => {
    const doc = await (await fetch(`${server.url}/api/docs-json`)).json();
    const paths = Object.keys(doc.paths);
    for (const p of ['/api/devices', '/api/devices/{deviceId}/eeg', '/api/devices/{deviceId}/sensor', '/api/rejected', '/api/alerts', '/api/alerts/{id}/acknowledge', '/api/health']) {
      expect(paths).toContain(p);
    }
    const page = await fetch(`${server.url}/api/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/swagger/i);
  });
});
