// The REST API is described by OpenAPI at /api/docs-json, with every route the server mounts.
import { startServerStack, type ServerStack } from '../support/server-stack';

describe('OpenAPI description', () => {
  let stack: ServerStack;
  beforeAll(async () => {
    stack = await startServerStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('lists the query, alert and health routes', async () => {
    const doc = await (await fetch(`${stack.server.url}/api/docs-json`)).json();
    const paths = Object.keys(doc.paths);
    for (const p of ['/api/devices', '/api/devices/{deviceId}/eeg', '/api/devices/{deviceId}/sensor', '/api/rejected', '/api/alerts', '/api/alerts/{id}/acknowledge', '/api/health']) {
      expect(paths).toContain(p);
    }
    const page = await fetch(`${stack.server.url}/api/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/swagger/i);
  });
});
