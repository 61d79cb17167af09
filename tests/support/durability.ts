// The durability scenario shared by the crash/restart tests: K devices publish N chunks each
// while something is disrupted midway; afterwards the database must hold exactly N chunks per
// device, in order, with the published samples.
import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { DevicePublisher, type EegChunk } from '@bci/shared';
import { startServer, type ServerProcess } from './server-process';
import { waitFor } from './wait';

export const CHANNELS = ['Fz', 'C3', 'Cz', 'C4', 'Pz', 'O1', 'Oz', 'O2'];
const N_SAMPLES = 16;
const FS_HZ = 160;
const T0_US = 1_800_000_000_000_000;

/** Deterministic content so the test can check the stored bytes, not just the count. */
export function makeChunk(deviceId: string, seq: number): EegChunk {
  const samples = new Float32Array(CHANNELS.length * N_SAMPLES);
  for (let k = 0; k < samples.length; k++) samples[k] = ((seq * 7919 + k * 104729 + deviceId.length * 31) % 20000) / 100 - 100;
  return { deviceId, seq, t0Us: T0_US + seq * (N_SAMPLES / FS_HZ) * 1e6, fsHz: FS_HZ, channels: CHANNELS, unit: 'uV', nSamples: N_SAMPLES, samples };
}

export function expectedDigest(deviceId: string, n: number): string {
  const h = createHash('md5');
  for (let s = 0; s < n; s++) {
    const c = makeChunk(deviceId, s);
    h.update(new Uint8Array(c.samples.buffer));
  }
  return h.digest('hex');
}

export interface ScenarioContext {
  server: ServerProcess;
  serverEnv: Record<string, string>;
}

export interface ScenarioResult {
  perDevice: { deviceId: string; count: number; distinct: number; inOrder: boolean; digestOk: boolean }[];
  /** What the (last) server process logged: lets a test check the disruption really hit it. */
  serverLogs: string;
}

export async function runDurabilityScenario(opts: {
  natsUrl: string;
  databaseUrl: string;
  devices: number;
  chunksPerDevice: number;
  publishIntervalMs: number;
  disrupt: (ctx: ScenarioContext) => Promise<void>;
}): Promise<ScenarioResult> {
  const serverEnv = { DATABASE_URL: opts.databaseUrl, NATS_URL: opts.natsUrl, BCI_ACK_WAIT_MS: '2000', BCI_INGEST_BATCH: '200' };
  const ctx: ScenarioContext = { server: await startServer(serverEnv), serverEnv };
  const nc = await connect({ servers: opts.natsUrl, maxReconnectAttempts: -1, reconnectTimeWait: 200 });
  const publisher = new DevicePublisher(jetstream(nc), { publishTimeoutMs: 2_000 });
  const db = new Client({ connectionString: opts.databaseUrl });
  const total = opts.devices * opts.chunksPerDevice;
  const ids = Array.from({ length: opts.devices }, (_, i) => `dur-${i}`);
  let lastCount = 0;
  const countRows = async (): Promise<number> => {
    const c = new Client({ connectionString: opts.databaseUrl });
    await c.connect();
    try {
      return (lastCount = Number((await c.query('SELECT count(*) FROM eeg_chunks')).rows[0].count));
    } finally {
      await c.end();
    }
  };
  try {
    const publishing = Promise.all(
      ids.map(async (id) => {
        for (let s = 0; s < opts.chunksPerDevice; s++) {
          await publisher.publishEeg(makeChunk(id, s));
          await new Promise((r) => setTimeout(r, opts.publishIntervalMs));
        }
      }),
    );
    await waitFor(async () => (await countRows()) >= total / 3, 60_000, 'a third of the chunks stored');
    await opts.disrupt(ctx);
    await publishing;
    await waitFor(async () => (await countRows()) >= total, 60_000, `all ${total} chunks stored`).catch((err: Error) => {
      throw new Error(`${err.message}; stored ${lastCount}; server log tail:\n${ctx.server.logs().slice(-3000)}`);
    });
    // Give redeliveries in flight a chance to (wrongly) add rows before we count for real.
    await new Promise((r) => setTimeout(r, 2_500));
    await db.connect();
    const perDevice = [];
    for (const id of ids) {
      const { rows } = await db.query('SELECT seq, samples FROM eeg_chunks WHERE device_id = $1 ORDER BY device_time, seq', [id]);
      const seqs = rows.map((r) => Number(r.seq));
      const h = createHash('md5');
      for (const r of rows) h.update(r.samples);
      perDevice.push({
        deviceId: id,
        count: rows.length,
        distinct: new Set(seqs).size,
        inOrder: seqs.every((s, i) => s === i),
        digestOk: h.digest('hex') === expectedDigest(id, opts.chunksPerDevice),
      });
    }
    return { perDevice, serverLogs: ctx.server.logs() };
  } finally {
    await db.end().catch(() => undefined);
    await nc.close();
    await ctx.server.kill('SIGTERM');
  }
}
