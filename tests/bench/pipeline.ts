// `npm run bench -- pipeline [--seconds 10] [--levels 50,100,200,300,400] [--no-store] [--traces] [--sync]`
// Live classification latency: N simulated 64-channel 160 Hz devices, each with a CSP+LDA model
// active, publish 100 ms chunks in real time. Independent devices are not in step: their chunk
// phases are spread over the 100 ms (ten groups, 10 ms apart). --sync publishes every device's
// chunk at the same moment, so every device closes a window in the same burst: the worst case,
// where the last prediction of the burst waits for all the others. Socket.io clients subscribed to every device
// measure the time from publishing the chunk that completes a window to receiving its
// prediction (the clients run in a worker thread, so the publisher's work does not delay them).
// Device counts ramp up until p99 > 100 ms or predictions fall behind. The clients join each
// device's `device:<id>` room (predictions, band power, quality); with --traces they also join
// `eeg:<id>` and receive every device's display traces, as if one screen drew all of them.
// Where the time goes is split with the server's own stamps: publish → taken off NATS
// (receivedAtUs), → decoded and handed to the processors by ingest, before its commit (dispatchedAtUs), → processed and pushed (emittedAtUs), → client.
// `slowest_1pct` says where the tail comes from: the same legs averaged over the slowest 1%, and from
// how many 100 ms publish slots they came (one or two slots: a single stall held every device's window).
import { Client } from 'pg';
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { Socket } from 'socket.io-client';
import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { DevicePublisher, rooms, type EegChunk } from '@bci/shared';
import { trainClassifier, type Epoch } from '@bci/streams/classify';
import { runMigrations } from '@bci/db';
import { authedSocket, bearer, loginAdmin } from '../support/auth';
import { startNats } from '../support/nats-server';
import { createTestDatabase } from '../support/pg';
import { startServer, type ServerProcess } from '../support/server-process';
import { waitFor } from '../support/wait';

const CHANNELS = Array.from({ length: 64 }, (_, i) => `E${i + 1}`);
const FS = 160;
const CHUNK = 16; // 100 ms
const T0 = 1_800_000_000_000_000;
const ROOMS_PER_SOCKET = 64; // the gateway's limit per socket
const PHASE_GROUPS = 10; // devices publish in this many groups spread over each 100 ms

function arg(argv: string[], name: string, fallback: string): string {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
}

const nowUs = () => (performance.timeOrigin + performance.now()) * 1000;

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

/** A CSP+LDA model on synthetic trials: class 'left' has more variance on E9, 'right' on E13. */
function syntheticArtifact(): unknown {
  const rnd = seeded(3);
  const nS = 320;
  const epochs: Epoch[] = [];
  const labels: string[] = [];
  for (let k = 0; k < 40; k++) {
    const label = k % 2 ? 'right' : 'left';
    const data = new Float64Array(CHANNELS.length * nS);
    for (let c = 0; c < CHANNELS.length; c++) {
      const gain = (label === 'left' && c === 8) || (label === 'right' && c === 12) ? 3 : 1;
      for (let t = 0; t < nS; t++) data[c * nS + t] = 10 * gain * rnd();
    }
    epochs.push({ data, nChannels: CHANNELS.length, nSamples: nS });
    labels.push(label);
  }
  return trainClassifier('csp-lda', epochs, labels, { meta: { channels: CHANNELS, fsHz: FS, bands: [[8, 30]], window: { tminS: 0.5, tmaxS: 2.5 } }, cvFolds: 0 }).toArtifact();
}

function post(url: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent: false, headers: bearer(token) }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const round = (x: number) => Math.round(x * 10) / 10;

function slowest(latencies: number[], legs: number[][], slots: number[]): LevelResult['slowest_1pct'] {
  const order = latencies.map((_, i) => i).sort((a, b) => latencies[b] - latencies[a]);
  const worst = order.slice(0, Math.max(1, Math.ceil(order.length / 100)));
  return {
    legs_ms: legs.map((leg) => round(worst.reduce((sum, i) => sum + leg[i], 0) / worst.length)),
    publish_slots: new Set(worst.map((i) => slots[i])).size,
  };
}

interface Prediction {
  deviceId: string;
  windowEndUs: number;
  receivedAtUs: number;
  dispatchedAtUs: number;
  emittedAtUs: number;
}

interface LevelResult {
  devices: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  received: number;
  expected: number;
  publisher_late_s: number;
  /** p50 / p99 of each leg, ms. */
  publish_to_ingest_ms: [number, number];
  /** Ingest's decode and checks (and waiting for earlier batches): the pipeline gets each batch before its database write. */
  ingest_to_dispatch_ms: [number, number];
  /** The processors, including the chunks ahead of it in the same batch. */
  dispatch_to_emit_ms: [number, number];
  emit_to_client_ms: [number, number];
  /**
   * The slowest 1% of predictions: each leg's mean (the four legs above, ms), and how many
   * distinct 100 ms publish slots they came from (few slots: one stall held many devices' windows).
   */
  slowest_1pct: { legs_ms: number[]; publish_slots: number };
  realtime: boolean;
}

interface LevelOptions {
  seconds: number;
  traces: boolean;
  /** Every device publishes at the same moment (else in PHASE_GROUPS groups spread over 100 ms). */
  sync: boolean;
}

async function runLevel(server: ServerProcess, token: string, db: Client, nc: Awaited<ReturnType<typeof connect>>, artifact: unknown, n: number, level: number, { seconds, traces, sync }: LevelOptions): Promise<LevelResult> {
  const ids = Array.from({ length: n }, (_, i) => `bench${level}-${i}`);
  // Models straight into the table (there is no upload route), then activated through REST.
  const modelIds = ids.map(() => randomUUID());
  await db.query(
    `INSERT INTO models (id, device_id, subject, pipeline, version, artifact) SELECT id, d, 'bench', 'csp-lda', 1, $3::jsonb FROM unnest($1::text[], $2::text[]) AS x(id, d)`,
    [modelIds, ids, JSON.stringify(artifact)],
  );
  for (const id of modelIds) {
    const status = await post(`${server.url}/api/models/${id}/activate`, token);
    if (status !== 200) throw new Error(`activate ${id}: HTTP ${status}`);
  }

  const published = new Map<string, number>(); // device:seq → publish time µs
  const latencies: number[] = [];
  const legs: number[][] = [[], [], [], []];
  const slots: number[] = []; // publish tick of each prediction's completing chunk
  let received = 0;
  const warmupSeq = 24; // ignore the first windows (the first needs 2 s of data)
  const onPrediction = (p: Prediction & { at: number }) => {
    const at = p.at;
    const seq = Math.floor((p.windowEndUs - T0) / 100_000);
    if (seq < warmupSeq) return;
    const sent = published.get(`${p.deviceId}:${seq}`);
    if (sent === undefined) return;
    received++;
    latencies.push((at - sent) / 1000);
    legs[0].push((p.receivedAtUs - sent) / 1000);
    legs[1].push((p.dispatchedAtUs - p.receivedAtUs) / 1000);
    legs[2].push((p.emittedAtUs - p.dispatchedAtUs) / 1000);
    legs[3].push((at - p.emittedAtUs) / 1000);
    slots.push(seq);
  };
  // The clients live in their own thread: receive times must not wait for the publisher's work.
  const subscriber = new Worker(__filename, { workerData: { role: 'subscriber', url: server.url, token, ids, traces }, execArgv: ['-r', '@swc-node/register'] });
  await new Promise<void>((resolve, reject) => {
    subscriber.on('message', (m: 'ready' | (Prediction & { at: number })[]) => (m === 'ready' ? resolve() : m.forEach(onPrediction)));
    subscriber.on('error', reject);
  });

  const pub = new DevicePublisher(jetstream(nc));
  const rnd = seeded(level);
  const block = Float32Array.from({ length: CHANNELS.length * CHUNK * 10 }, () => 20 * rnd());
  const ticks = Math.round(seconds * 10) + warmupSeq;
  const groups = sync ? 1 : Math.min(PHASE_GROUPS, n);
  const groupIds = Array.from({ length: groups }, (_, g) => ids.filter((_, i) => i % groups === g));
  const start = performance.now();
  for (let t = 0; t < ticks; t++) {
    const off = (t % 10) * CHANNELS.length * CHUNK;
    const samples = block.subarray(off, off + CHANNELS.length * CHUNK);
    for (let g = 0; g < groups; g++) {
      const wait = start + t * 100 + (g * 100) / groups - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      await Promise.all(
        groupIds[g].map((deviceId) => {
          const chunk: EegChunk = { deviceId, seq: t, t0Us: T0 + t * 100_000, fsHz: FS, channels: CHANNELS, unit: 'uV', nSamples: CHUNK, samples };
          published.set(`${deviceId}:${t}`, nowUs());
          return pub.publishEeg(chunk);
        }),
      );
    }
  }
  const publisherLateS = (performance.now() - start) / 1000 - ticks / 10;
  // Window k ends (exclusive) at sample 320 + 40k; count those whose last sample is in chunks warmupSeq..ticks-1.
  const kMin = Math.ceil((warmupSeq * CHUNK + 1 - 320) / 40);
  const kMax = Math.floor((ticks * CHUNK - 320) / 40);
  const expected = n * (kMax - kMin + 1);
  await waitFor(() => received >= expected, 5_000, 'last predictions').catch(() => undefined);
  await subscriber.terminate();
  const r: LevelResult = {
    devices: n,
    p50_ms: round(pct(latencies, 50)),
    p99_ms: round(pct(latencies, 99)),
    max_ms: round(pct(latencies, 100)),
    received,
    expected,
    publisher_late_s: round(publisherLateS),
    publish_to_ingest_ms: [round(pct(legs[0], 50)), round(pct(legs[0], 99))],
    ingest_to_dispatch_ms: [round(pct(legs[1], 50)), round(pct(legs[1], 99))],
    dispatch_to_emit_ms: [round(pct(legs[2], 50)), round(pct(legs[2], 99))],
    emit_to_client_ms: [round(pct(legs[3], 50)), round(pct(legs[3], 99))],
    slowest_1pct: slowest(latencies, legs, slots),
    realtime: false,
  };
  // Kept up: almost every window predicted, the publisher on schedule, and p99 within 100 ms.
  r.realtime = received >= 0.98 * expected && publisherLateS < 1 && r.p99_ms <= 100;
  console.error(JSON.stringify(r));
  return r;
}

/** Worker thread: socket.io clients for all devices; forwards each prediction with its receive time every 10 ms. */
async function subscribe(url: string, token: string, ids: string[], traces: boolean): Promise<void> {
  const roomsOf = (id: string) => (traces ? [rooms.device(id), rooms.eeg(id)] : [rooms.device(id)]);
  const perSocket = traces ? ROOMS_PER_SOCKET / 2 : ROOMS_PER_SOCKET;
  let buffer: (Prediction & { at: number })[] = [];
  const sockets: Socket[] = [];
  for (let i = 0; i < ids.length; i += perSocket) {
    const s = authedSocket(url, token);
    await new Promise<void>((resolve) => s.on('connect', () => resolve()));
    const reply = await s.emitWithAck('subscribe', { rooms: ids.slice(i, i + perSocket).flatMap(roomsOf) });
    if (!reply.ok) throw new Error(`subscribe: ${reply.error}`);
    s.on('prediction', (p: Prediction) => buffer.push({ deviceId: p.deviceId, windowEndUs: p.windowEndUs, receivedAtUs: p.receivedAtUs, dispatchedAtUs: p.dispatchedAtUs, emittedAtUs: p.emittedAtUs, at: nowUs() }));
    sockets.push(s);
  }
  setInterval(() => {
    if (!buffer.length) return;
    parentPort!.postMessage(buffer);
    buffer = [];
  }, 10);
  parentPort!.postMessage('ready');
}

if (!isMainThread && (workerData as { role?: string })?.role === 'subscriber') {
  const { url, token, ids, traces } = workerData as { url: string; token: string; ids: string[]; traces: boolean };
  void subscribe(url, token, ids, traces);
}

export async function main(argv: string[]): Promise<void> {
  const seconds = Number(arg(argv, 'seconds', '10'));
  const levels = arg(argv, 'levels', '50,100,200,300,400').split(',').map(Number);
  const store = !argv.includes('--no-store');
  const traces = argv.includes('--traces');
  const sync = argv.includes('--sync');
  const nats = await startNats();
  const dbHandle = await createTestDatabase('bci_bench');
  const db = new Client({ connectionString: dbHandle.url });
  await db.connect();
  await runMigrations(db);
  const nc = await connect({ servers: nats.url, maxReconnectAttempts: -1 });
  let server: ServerProcess | undefined;
  try {
    server = await startServer({ DATABASE_URL: dbHandle.url, NATS_URL: nats.url, BCI_PIPELINE_STORE: store ? '1' : '0' });
    const token = (await loginAdmin(server.url)).accessToken;
    const artifact = syntheticArtifact();
    const results: LevelResult[] = [];
    for (const [i, n] of levels.entries()) {
      const r = await runLevel(server, token, db, nc, artifact, n, i, { seconds, traces, sync });
      results.push(r);
      if (!r.realtime) break;
      // Let the previous level's devices go quiet (their processors stay in memory, idle).
      await new Promise((res) => setTimeout(res, 1_000));
    }
    const first = results[0];
    const kept = results.filter((r) => r.realtime).map((r) => r.devices);
    console.log(
      JSON.stringify({
        devices: first.devices,
        p50_ms: first.p50_ms,
        p99_ms: first.p99_ms,
        max_devices_realtime: kept.length ? Math.max(...kept) : 0,
        store,
        traces,
        phases: sync ? 'sync' : 'spread',
        workers: Number(process.env.BCI_PIPELINE_WORKERS ?? 1),
        seconds_per_level: seconds,
        levels: results,
      }),
    );
  } finally {
    await server?.kill();
    await nc.close();
    await db.end();
    await dbHandle.drop();
    await nats.stop();
  }
}
