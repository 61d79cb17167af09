// socket.io access control: the handshake needs a valid access token, and `subscribe` joins
// only the rooms the user may see (device rooms by kind, role and assignment; alerts for
// operators and admins); device-status in the overview is filtered per user.
import type { Socket } from 'socket.io-client';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { DevicePublisher, rooms, type DeviceStatus, type LiveEegFrame, type LiveSensorReading, type SubscribeReply } from '@bci/shared';
import { signAccessToken } from '../../server/src/auth/jwt';
import { startNats, type PrivateNats } from '../support/nats-server';
import { createTestDatabase, type TestDatabase } from '../support/pg';
import { startServer, type ServerProcess } from '../support/server-process';
import { waitFor } from '../support/wait';
import { makeChunk } from '../support/durability';
import { authedSocket, createUser, loginAdmin, TEST_AUTH_SECRET, type TestUser } from '../support/auth';

const EEG = 'hs-sock';
const OTHER_EEG = 'hs-sock-other';
const SENSOR = 'pump-sock';

function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('auth_error', (e: { message: string }) => reject(new Error(e.message)));
  });
}

/** Resolves with the auth_error message once the server disconnects the socket. */
function refused(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let message = '';
    socket.on('auth_error', (e: { message: string }) => (message = e.message));
    socket.on('disconnect', (reason) => resolve(`${reason}: ${message}`));
  });
}

describe('socket.io access control', () => {
  let nats: PrivateNats;
  let db: TestDatabase;
  let server: ServerProcess;
  let nc: NatsConnection;
  let pub: DevicePublisher;
  let clinician: TestUser;
  let operator: TestUser;
  let adminToken: string;
  const sockets: Socket[] = [];
  const open = (token: string | (() => string)) => {
    const s = authedSocket(server.url, token, { reconnection: false });
    sockets.push(s);
    return s;
  };

  beforeAll(async () => {
    nats = await startNats();
    db = await createTestDatabase();
    server = await startServer({ DATABASE_URL: db.url, NATS_URL: nats.url });
    nc = await connect({ servers: nats.url });
    pub = new DevicePublisher(jetstream(nc));
    await pub.publishEeg(makeChunk(EEG, 0));
    await pub.publishEeg(makeChunk(OTHER_EEG, 0));
    await pub.publishReading({ deviceId: SENSOR, time: new Date().toISOString(), metrics: { pressure: 3 } });
    adminToken = (await loginAdmin(server.url)).accessToken;
    clinician = await createUser(server.url, 'clinician', [EEG], { adminToken });
    operator = await createUser(server.url, 'operator', [], { adminToken });
    await waitFor(async () => {
      const r = await fetch(`${server.url}/api/devices`, { headers: { authorization: `Bearer ${adminToken}` } });
      return ((await r.json()) as unknown[]).length === 3;
    }, 15_000, 'devices stored');
  });

  afterAll(async () => {
    for (const s of sockets) s.close();
    await nc?.close();
    await server?.kill();
    await nats?.stop();
    await db?.drop();
  });

  it('refuses a handshake without a token, with a bad one and with an expired one', async () => {
    const none = authedSocket(server.url, '', { reconnection: false, auth: {} });
    sockets.push(none);
    expect(await refused(none)).toMatch(/io server disconnect: an access token is required/);
    expect(await refused(open('not-a-token'))).toMatch(/io server disconnect: invalid or expired/);
    const expired = signAccessToken(TEST_AUTH_SECRET, { sub: String(operator.user.id), role: 'operator', name: operator.user.username }, -5).token;
    expect(await refused(open(expired))).toMatch(/invalid or expired/);
    // Even a socket that emits subscribe before it is refused joins nothing.
    const eager = open('bogus');
    const reply = (await eager.timeout(2_000).emitWithAck('subscribe', { rooms: [rooms.overview] }).catch(() => ({ ok: false }))) as SubscribeReply;
    expect(reply.ok).toBe(false);
  });

  it('disconnects a socket when its token expires', async () => {
    const soon = signAccessToken(TEST_AUTH_SECRET, { sub: String(operator.user.id), role: 'operator', name: operator.user.username }, 2).token;
    const s = open(soon);
    await connected(s);
    expect(await refused(s)).toMatch(/io server disconnect: access token expired/);
  });

  it('an operator joins sensor rooms and alerts but not EEG rooms, and receives sensor readings', async () => {
    const s = open(operator.token);
    await connected(s);
    const eegReply = (await s.emitWithAck('subscribe', { rooms: [rooms.device(EEG), rooms.eeg(EEG)] })) as SubscribeReply;
    expect(eegReply).toMatchObject({ ok: false, rooms: [] });
    expect(eegReply.error).toContain(rooms.device(EEG));
    expect(eegReply.error).toContain(rooms.eeg(EEG));
    const ok = (await s.emitWithAck('subscribe', { rooms: [rooms.device(SENSOR), rooms.alerts, rooms.overview] })) as SubscribeReply;
    expect(ok).toEqual({ ok: true, rooms: [rooms.device(SENSOR), rooms.alerts, rooms.overview] });
    const readings: LiveSensorReading[] = [];
    const frames: LiveEegFrame[] = [];
    const statuses: DeviceStatus[][] = [];
    s.on('sensor', (r: LiveSensorReading) => readings.push(r));
    s.on('eeg', (f: LiveEegFrame) => frames.push(f));
    s.on('device-status', (d: DeviceStatus[]) => statuses.push(d));
    await pub.publishReading({ deviceId: SENSOR, time: new Date().toISOString(), metrics: { pressure: 3.3 } });
    for (let i = 1; i < 6; i++) await pub.publishEeg(makeChunk(EEG, i));
    await waitFor(() => readings.length >= 1 && statuses.length >= 1, 10_000, 'sensor reading and device status');
    expect(readings[0]).toMatchObject({ deviceId: SENSOR });
    expect(frames).toEqual([]);
    expect(statuses.at(-1)!.map((d) => d.deviceId)).toEqual([SENSOR]);
  });

  it('a clinician joins the assigned EEG device only, not alerts nor other devices, and receives its EEG', async () => {
    const s = open(() => clinician.token);
    await connected(s);
    for (const room of [rooms.alerts, rooms.device(OTHER_EEG), rooms.eeg(OTHER_EEG), rooms.device(SENSOR)]) {
      const r = (await s.emitWithAck('subscribe', { rooms: [room] })) as SubscribeReply;
      expect([room, r.ok]).toEqual([room, false]);
    }
    const mixed = (await s.emitWithAck('subscribe', { rooms: [rooms.device(EEG), rooms.eeg(EEG), rooms.alerts] })) as SubscribeReply;
    expect(mixed).toMatchObject({ ok: false, rooms: [rooms.device(EEG), rooms.eeg(EEG)] });
    expect((await s.emitWithAck('subscribe', { rooms: [rooms.overview] })) as SubscribeReply).toMatchObject({ ok: true });
    const frames: LiveEegFrame[] = [];
    const statuses: DeviceStatus[][] = [];
    s.on('eeg', (f: LiveEegFrame) => frames.push(f));
    s.on('device-status', (d: DeviceStatus[]) => statuses.push(d));
    for (let i = 6; i < 16; i++) {
      await pub.publishEeg(makeChunk(EEG, i));
      await pub.publishEeg(makeChunk(OTHER_EEG, i));
    }
    await waitFor(() => frames.length > 0 && statuses.length > 0, 10_000, 'EEG frames and device status');
    expect(new Set(frames.map((f) => f.deviceId))).toEqual(new Set([EEG]));
    expect(statuses.at(-1)!.map((d) => d.deviceId)).toEqual([EEG]);
  });

  it('a clinician assigned another device is checked against the new assignment at the next subscribe; a disabled user is dropped', async () => {
    const c = await createUser(server.url, 'clinician', [EEG], { adminToken });
    const s = open(() => c.token);
    await connected(s);
    expect(((await s.emitWithAck('subscribe', { rooms: [rooms.device(OTHER_EEG)] })) as SubscribeReply).ok).toBe(false);
    const patch = (body: unknown) =>
      fetch(`${server.url}/api/users/${c.user.id}`, { method: 'PATCH', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await patch({ deviceIds: [OTHER_EEG] })).status).toBe(200);
    expect(((await s.emitWithAck('subscribe', { rooms: [rooms.device(OTHER_EEG)] })) as SubscribeReply).ok).toBe(true);
    expect(((await s.emitWithAck('subscribe', { rooms: [rooms.device(EEG)] })) as SubscribeReply).ok).toBe(false);
    expect((await patch({ disabled: true })).status).toBe(200);
    const gone = refused(s);
    // The server refuses and disconnects (the ack may not arrive before the disconnect).
    const reply = (await s.emitWithAck('subscribe', { rooms: [rooms.overview] }).catch(() => ({ ok: false }))) as SubscribeReply;
    expect(reply.ok).toBe(false);
    expect(await gone).toMatch(/io server disconnect/);
  });

  it('an admin joins everything and sees every device in the overview', async () => {
    const s = open(adminToken);
    await connected(s);
    const r = (await s.emitWithAck('subscribe', { rooms: [rooms.overview, rooms.alerts, rooms.device(EEG), rooms.device(SENSOR), rooms.device(OTHER_EEG)] })) as SubscribeReply;
    expect(r.ok).toBe(true);
    const statuses: DeviceStatus[][] = [];
    s.on('device-status', (d: DeviceStatus[]) => statuses.push(d));
    await waitFor(() => statuses.length > 0, 5_000, 'device status');
    expect(statuses[0].map((d) => d.deviceId).sort()).toEqual([EEG, OTHER_EEG, SENSOR].sort());
  });
});
