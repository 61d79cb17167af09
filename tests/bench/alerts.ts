// `npm run bench -- alerts [--devices 10000] [--warmup-minutes 6]`
// Against a private nats-server, a fresh database and the real server process:
//  - readings_per_s: minute readings for every device, published as fast as the broker takes
//    them, staged and stored (sensor_stages rows) per second, sustained over the warm-up;
//  - burst_s: one reading for each device at one minute boundary, from the first publish
//    until every one of them is staged and stored.
import { Client } from 'pg';
import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { DevicePublisher, type SensorReading } from '@bci/shared';
import { startNats } from '../support/nats-server';
import { createTestDatabase } from '../support/pg';
import { startServer } from '../support/server-process';
import { waitFor } from '../support/wait';

function arg(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
}

const START = Date.parse('2026-11-02T00:00:00Z');

function minuteReadings(devices: number, minute: number): SensorReading[] {
  const time = new Date(START + minute * 60_000).toISOString();
  // Deterministic, mildly noisy values so most readings stage as normal.
  return Array.from({ length: devices }, (_, d) => ({ deviceId: `meter-${d}`, time, metrics: { flow_rate: 300 + ((d * 7919 + minute * 104729) % 1000) / 100 } }));
}

async function publishAll(pub: DevicePublisher, readings: SensorReading[], window = 5000): Promise<void> {
  for (let i = 0; i < readings.length; i += window) await Promise.all(readings.slice(i, i + window).map((r) => pub.publishReading(r)));
}

export async function main(argv: string[]): Promise<void> {
  const devices = arg(argv, 'devices', 10_000);
  const warmupMinutes = arg(argv, 'warmup-minutes', 6);
  const nats = await startNats();
  const dbHandle = await createTestDatabase('bci_bench_alerts');
  const server = await startServer({ DATABASE_URL: dbHandle.url, NATS_URL: nats.url, BCI_STAGER_MIN_POINTS: String(warmupMinutes - 1) });
  const db = new Client({ connectionString: dbHandle.url });
  await db.connect();
  const nc = await connect({ servers: nats.url });
  const pub = new DevicePublisher(jetstream(nc));
  const staged = async (where = '') => Number((await db.query(`SELECT count(*) FROM sensor_stages ${where}`)).rows[0].count);
  try {
    const t0 = performance.now();
    for (let m = 0; m < warmupMinutes; m++) await publishAll(pub, minuteReadings(devices, m));
    await waitFor(async () => (await staged()) >= devices * warmupMinutes, 600_000, 'warm-up staged', 100);
    const sustainedS = (performance.now() - t0) / 1000;
    const readingsPerS = (devices * warmupMinutes) / sustainedS;
    console.error(`sustained: ${devices * warmupMinutes} readings staged and stored in ${sustainedS.toFixed(2)} s`);

    const burst = minuteReadings(devices, warmupMinutes);
    const burstWhere = `WHERE device_time = '${burst[0].time}'`;
    const b0 = performance.now();
    await publishAll(pub, burst);
    const publishedS = (performance.now() - b0) / 1000;
    await waitFor(async () => (await staged(burstWhere)) >= devices, 120_000, 'burst staged', 20);
    const burstS = (performance.now() - b0) / 1000;
    const scored = Number((await db.query(`SELECT count(*) FROM sensor_stages ${burstWhere} AND status = 'scored'`)).rows[0].count);
    console.error(`burst: ${devices} readings published in ${publishedS.toFixed(2)} s, all staged and stored after ${burstS.toFixed(2)} s (${scored} scored)`);
    console.log(
      JSON.stringify({
        readings_per_s: Math.round(readingsPerS),
        burst_devices: devices,
        burst_s: Number(burstS.toFixed(3)),
        burst_publish_s: Number(publishedS.toFixed(3)),
        burst_scored: scored,
      }),
    );
  } finally {
    await nc.close();
    await db.end();
    await server.kill();
    await dbHandle.drop();
    await nats.stop();
  }
}
