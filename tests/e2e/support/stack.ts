// The whole stack for a browser test: private nats-server, a fresh database, the server (which
// serves dashboard/dist) and simulated devices. Builds the dashboard once if dist is missing.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startNats, type PrivateNats } from '../../support/nats-server';
import { createTestDatabase, type TestDatabase } from '../../support/pg';
import { startServer, type ServerProcess } from '../../support/server-process';
import { startSimulator, type Simulator, type SimulatorOptions } from './simulator';

const ROOT = path.resolve(__dirname, '..', '..', '..');
export const DIST = path.join(ROOT, 'dashboard', 'dist');

export function ensureDashboardBuilt(): void {
  if (fs.existsSync(path.join(DIST, 'index.html')) && !process.env.BCI_E2E_REBUILD) return;
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: path.join(ROOT, 'dashboard'), stdio: 'inherit' });
}

export interface Stack {
  nats: PrivateNats;
  db: TestDatabase;
  server: ServerProcess;
  sim: Simulator;
  env: Record<string, string>;
  /** Stops the server and starts it again on the same port. */
  restartServer(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startStack(devices: Omit<SimulatorOptions, 'natsUrl'>, extraEnv: Record<string, string> = {}): Promise<Stack> {
  ensureDashboardBuilt();
  const nats = await startNats();
  const db = await createTestDatabase('bci_e2e');
  const env = { DATABASE_URL: db.url, NATS_URL: nats.url, ...extraEnv };
  let server = await startServer(env);
  const sim = await startSimulator({ natsUrl: nats.url, ...devices });
  const stack: Stack = {
    nats,
    db,
    server,
    sim,
    env,
    async restartServer(downMs = 1_000) {
      const port = server.port;
      await server.kill();
      await new Promise((r) => setTimeout(r, downMs));
      server = await startServer({ ...env, PORT: String(port) });
      stack.server = server;
    },
    async stop() {
      await sim.stop().catch(() => {});
      await server.kill().catch(() => {});
      await nats.stop().catch(() => {});
      await db.drop().catch(() => {});
    },
  };
  return stack;
}
