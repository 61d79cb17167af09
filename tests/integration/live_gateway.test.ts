// A real socket.io client subscribed to a device room receives decimated EEG, markers and
// sensor readings as the device publishes them, and the overview room gets device status.
import type { Socket } from 'socket.io-client';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { DevicePublisher, float32View, rooms, type DeviceStatus, type LiveEegFrame, type LiveMarker, type LiveSensorReading } from '@bci/shared';
import { startNats, type PrivateNats } from '../support/nats-server';
import { createTestDatabase, type TestDatabase } from '../support/pg';
import { startServer, type ServerProcess } from '../support/server-process';
import { waitFor } from '../support/wait';
import { CHANNELS, makeChunk } from '../support/durability';
import { authedSocket, loginAdmin } from '../support/auth';

describe('live gateway', () => {
  let nats: PrivateNats;
  let db: TestDatabase;
  let server: ServerProcess;
  let nc: NatsConnection;
  let socket: Socket;
  beforeAll(async () => {
    nats = await startNats();
    db = await createTestDatabase();
    server = await startServer({ DATABASE_URL: db.url, NATS_URL: nats.url });
    nc = await connect({ servers: nats.url });
  });
  afterAll(async () => {
    socket?.close();
    await nc?.close();
    await server?.kill();
    await nats?.stop();
    await db?.drop();
  });

  it('pushes decimated EEG, markers, sensor readings and device status to subscribed rooms', async () => {
    socket = authedSocket(server.url, (await loginAdmin(server.url)).accessToken);
    const frames: LiveEegFrame[] = [];
    const markers: LiveMarker[] = [];
    const readings: LiveSensorReading[] = [];
    const statuses: DeviceStatus[][] = [];
    socket.on('eeg', (f: LiveEegFrame) => frames.push({ ...f, min: float32View(f.min), max: float32View(f.max) }));
    socket.on('marker', (m: LiveMarker) => markers.push(m));
    socket.on('sensor', (r: LiveSensorReading) => readings.push(r));
    socket.on('device-status', (s: DeviceStatus[]) => statuses.push(s));
    await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
    const refused = await socket.emitWithAck('subscribe', { rooms: ['device:../etc'] });
    expect(refused.ok).toBe(false);
    const reply = await socket.emitWithAck('subscribe', { rooms: [rooms.eeg('live-1'), rooms.device('live-1'), rooms.device('pump-9'), rooms.overview] });
    expect(reply.ok).toBe(true);

    const pub = new DevicePublisher(jetstream(nc));
    for (let s = 0; s < 10; s++) await pub.publishEeg(makeChunk('live-1', s));
    await pub.publishMarker({ deviceId: 'live-1', timeUs: makeChunk('live-1', 3).t0Us, code: 'cue_right', label: 'T2' });
    await pub.publishReading({ deviceId: 'pump-9', time: '2026-11-25T12:00:00Z', metrics: { pressure: 3.2 } });
    await pub.publishEeg(makeChunk('other-device', 0));

    await waitFor(() => frames.reduce((n, f) => n + f.nBuckets, 0) >= 80, 10_000, 'all EEG buckets');
    // 10 chunks x 16 samples at 160 Hz = 1 s; at most 100 points per channel per second.
    expect(frames.every((f) => f.deviceId === 'live-1')).toBe(true);
    expect(frames.reduce((n, f) => n + f.nBuckets, 0)).toBe(80);
    expect(frames.every((f) => f.min.length === f.nBuckets * CHANNELS.length)).toBe(true);
    expect(frames[0].channels).toEqual(CHANNELS);
    expect(frames[0].bucketUs).toBe(12_500);
    // Extremes survive: the max of the first bucket of channel 0 is the larger of its 2 samples.
    const first = makeChunk('live-1', 0).samples;
    expect(frames[0].max[0]).toBeCloseTo(Math.max(first[0], first[1]), 4);
    expect(frames[0].min[0]).toBeCloseTo(Math.min(first[0], first[1]), 4);
    // Channel-major: channel 1's first bucket follows all of channel 0's (16 samples per chunk).
    expect(frames[0].max[frames[0].nBuckets]).toBeCloseTo(Math.max(first[16], first[17]), 4);
    await waitFor(() => markers.length === 1 && readings.length === 1, 10_000, 'marker and reading');
    expect(markers[0]).toMatchObject({ code: 'cue_right', label: 'T2' });
    expect(readings[0]).toMatchObject({ deviceId: 'pump-9', metrics: { pressure: 3.2 } });
    const status = await waitFor(() => statuses.at(-1)?.find((s) => s.deviceId === 'live-1'), 5_000, 'device status');
    expect(status).toMatchObject({ kind: 'eeg', online: true });
  });
});
