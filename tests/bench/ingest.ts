// `npm run bench -- ingest [--devices 200] [--seconds 10] [--backlog 20000]`
// Three measurements in one run, against a private nats-server, a fresh database and the real
// server with its live processors off (ingest alone; `bench -- pipeline` measures those):
//  1. real time: D simulated 64-channel 160 Hz devices publish 100 ms chunks for S seconds;
//     they are kept in real time when the stored backlog stays below one second of data;
//  2. copy limit: a bare binary-COPY loop of the same rows (the machine's write limit),
//     measured before and after 3 and averaged;
//  3. capacity: the server drains a backlog of chunks already in JetStream; samples_per_s is the
//     sustained rate, between 10 % and 90 % of the backlog stored (drain_s is the whole drain).
// Then `lost`/`duplicated` compare the database with what was published.
import { Client } from 'pg';
import { connect } from '@nats-io/transport-node';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { BinaryCopyEncoder, copyBinaryInto, runMigrations } from '@bci/db';
import { DevicePublisher, type EegChunk } from '@bci/shared';
import { startNats } from '../support/nats-server';
import { createTestDatabase } from '../support/pg';
import { startServer } from '../support/server-process';
import { waitFor } from '../support/wait';

const CHANNELS = Array.from({ length: 64 }, (_, i) => `E${i + 1}`);
const FS_HZ = 160;
const CHUNK = 16; // 100 ms
const T0 = 1_800_000_000_000_000;

function arg(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
}

function chunk(deviceId: string, seq: number, samples: Float32Array): EegChunk {
  return { deviceId, seq, t0Us: T0 + seq * 100_000, fsHz: FS_HZ, channels: CHANNELS, unit: 'uV', nSamples: CHUNK, samples };
}

async function count(db: Client, where = ''): Promise<number> {
  return Number((await db.query(`SELECT count(*) FROM eeg_chunks ${where}`)).rows[0].count);
}

async function storedBy(url: string): Promise<number> {
  const health = (await (await fetch(`${url}/api/health`)).json()) as { ingest: { eeg: { stored: number } } };
  return health.ingest.eeg.stored;
}

async function copyLimit(db: Client, rows: number, samples: Float32Array): Promise<number> {
  await db.query('CREATE TABLE copy_limit (LIKE eeg_chunks INCLUDING ALL)');
  const bytes = new Uint8Array(samples.buffer);
  const cols = ['device_id', 'seq', 'device_time', 't0_us', 'fs_hz', 'n_samples', 'samples', 'received_at'];
  const perBatch = 1000;
  const start = performance.now();
  for (let b = 0; b < rows / perBatch; b++) {
    const enc = new BinaryCopyEncoder(['text', 'int8', 'timestamptz', 'int8', 'float8', 'int4', 'bytea', 'timestamptz']);
    for (let i = 0; i < perBatch; i++) {
      const seq = b * perBatch + i;
      enc.addRow([`dev-${seq % 200}`, seq, T0 + seq * 100_000, T0 + seq * 100_000, FS_HZ, CHUNK, bytes, Date.now() * 1000]);
    }
    await db.query('BEGIN');
    await copyBinaryInto(db, 'copy_limit', cols, enc.finish());
    await db.query('COMMIT');
  }
  const s = (performance.now() - start) / 1000;
  await db.query('DROP TABLE copy_limit');
  return (rows * CHUNK) / s;
}

async function publishAll(js: JetStreamClient, items: EegChunk[], inFlight = 500): Promise<void> {
  const pub = new DevicePublisher(js);
  for (let i = 0; i < items.length; i += inFlight) await Promise.all(items.slice(i, i + inFlight).map((c) => pub.publishEeg(c)));
}

export async function main(argv: string[]): Promise<void> {
  const devices = arg(argv, 'devices', 200);
  const seconds = arg(argv, 'seconds', 10);
  const backlog = arg(argv, 'backlog', 20_000);
  const nats = await startNats();
  const dbHandle = await createTestDatabase('bci_bench');
  const db = new Client({ connectionString: dbHandle.url });
  await db.connect();
  await runMigrations(db);
  const samples = new Float32Array(CHANNELS.length * CHUNK).map((_, k) => Math.sin(k / 7) * 50);
  const nc = await connect({ servers: nats.url, maxReconnectAttempts: -1 });
  const js = jetstream(nc);
  let server;
  try {
    // Ingest alone: the live processors are measured by `npm run bench -- pipeline`.
    const env = { DATABASE_URL: dbHandle.url, NATS_URL: nats.url, BCI_PIPELINE: 'off' };
    server = await startServer(env);
    // Real time: `devices` devices publish a chunk every 100 ms each.
    const ticks = seconds * 10;
    const lags: number[] = [];
    const rtStart = performance.now();
    for (let t = 0; t < ticks; t++) {
      const due = rtStart + t * 100;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      await publishAll(
        js,
        Array.from({ length: devices }, (_, d) => chunk(`rt-${d}`, t, samples)),
        devices,
      );
      if (t % 10 === 9) lags.push((t + 1) * devices - (await count(db, `WHERE device_id LIKE 'rt-%'`)));
    }
    const publishLagS = (performance.now() - rtStart) / 1000 - seconds;
    await waitFor(async () => (await count(db, `WHERE device_id LIKE 'rt-%'`)) >= ticks * devices, 120_000, 'real-time run stored', 50);
    // Kept up: the publisher itself stayed on schedule and the stored backlog never exceeded 1 s of data.
    const maxLagChunks = Math.max(...lags);
    const realtime = publishLagS < 1 && maxLagChunks <= devices * 10;
    console.error(
      `real time: ${devices} devices, backlog per second ${JSON.stringify(lags)} chunks, publisher late by ${publishLagS.toFixed(2)} s`,
    );

    // Measured before and after the drain and averaged: the machine's speed drifts.
    const copyBefore = await copyLimit(db, backlog, samples);

    // Capacity: publish a backlog while no server runs, then time the drain.
    await server.kill(); // streams and consumers exist; nothing consumes while the backlog is published
    const backlogDevices = 200;
    const items: EegChunk[] = [];
    for (let s = 0; s < backlog / backlogDevices; s++) for (let d = 0; d < backlogDevices; d++) items.push(chunk(`cap-${d}`, s, samples));
    await publishAll(js, items);
    server = await startServer(env);
    const t0 = performance.now(); // from the server being ready, so start-up is not counted
    // Poll the server's own counter (a count(*) every 20 ms would steal the CPU being measured).
    // Sustained rate: the slope between 10 % and 90 % of the backlog stored, so the first fetch,
    // device registration and a cold JIT do not count against it, nor the tail.
    const marks: { at: number; stored: number }[] = [];
    await waitFor(
      async () => {
        const stored = await storedBy(server!.url);
        marks.push({ at: performance.now(), stored });
        return stored >= items.length;
      },
      300_000,
      'backlog drained',
      20,
    );
    const drainS = (performance.now() - t0) / 1000;
    const from = marks.find((m) => m.stored >= 0.1 * items.length)!;
    const to = marks.find((m) => m.stored >= 0.9 * items.length)!;
    const samplesPerS = ((to.stored - from.stored) * CHUNK) / ((to.at - from.at) / 1000);
    const copyAfter = await copyLimit(db, backlog, samples);
    const copyLimitSamples = (copyBefore + copyAfter) / 2;
    console.error(`copy limit: ${Math.round(copyBefore)} then ${Math.round(copyAfter)} samples/s`);
    console.error(
      `capacity: ${items.length} chunks in ${drainS.toFixed(2)} s (${Math.round((items.length * CHUNK) / drainS)} samples/s overall), ${Math.round(samplesPerS)} samples/s sustained (10-90 %)`,
    );

    await new Promise((r) => setTimeout(r, 1_000));
    const { rows } = await db.query(`SELECT count(*) AS n, count(DISTINCT (device_id, seq)) AS d FROM eeg_chunks`);
    const expected = items.length + ticks * devices;
    const stored = Number(rows[0].n);
    const distinct = Number(rows[0].d);
    const result = {
      // Devices kept in real time in the measured run (0 if that run fell behind).
      devices: realtime ? devices : 0,
      devices_tested_realtime: devices,
      realtime_kept_up: realtime,
      max_backlog_chunks: maxLagChunks,
      channels: CHANNELS.length,
      fs: FS_HZ,
      chunk_samples: CHUNK,
      samples_per_s: Math.round(samplesPerS),
      drain_s: Number(drainS.toFixed(2)),
      copy_limit_samples_per_s: Math.round(copyLimitSamples),
      ratio: Number((samplesPerS / copyLimitSamples).toFixed(3)),
      // The whole drain, start-up and tail included, for comparison.
      ratio_overall: Number(((items.length * CHUNK) / drainS / copyLimitSamples).toFixed(3)),
      capacity_devices: Math.floor(samplesPerS / FS_HZ),
      lost: expected - distinct,
      duplicated: stored - distinct,
    };
    console.log(JSON.stringify(result));
  } finally {
    await server?.kill();
    await nc.close();
    await db.end();
    await dbHandle.drop();
    await nats.stop();
  }
}
