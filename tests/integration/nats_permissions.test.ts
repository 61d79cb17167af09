// The committed deploy/nats/nats.conf, run by a private nats-server: a device user can publish to
// JetStream on its own subjects (PubAck and Nats-Msg-Id de-duplication work without any
// $JS.API permission) and nothing else — not another device's subject, not a subscription to
// the data or to other clients' inboxes, not the JetStream API. The integrator only reads.
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection, type Status } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { DevicePublisher, subjects } from '@bci/shared';
import { startNats, type PrivateNats } from '../support/nats-server';
import { makeChunk } from '../support/durability';
import { waitFor } from '../support/wait';
import { streamConfigs } from '../../server/src/nats/streams';
import { createTestDatabase } from '../support/pg';
import { startServer } from '../support/server-process';
import { Client } from 'pg';
import {
  deviceInboxPrefix,
  devicePasswordVar,
  INTEGRATOR_PASSWORD_VAR,
  natsConfig,
  SERVER_PASSWORD_VAR,
} from '../../deploy/nats/make-config';

const CONFIG = path.resolve(__dirname, '../../deploy/nats/nats.conf');
// nats-server parses a variable's value as configuration: a password must start with a letter
// and use only letters, digits, - and _ (hex alone may start "1e5…" and read as a number).
const secret = () => 'p' + randomBytes(12).toString('hex');
const pw = {
  server: secret(),
  integrator: secret(),
  'hs-1': secret(),
  'pump-1': secret(),
};
const env = {
  [SERVER_PASSWORD_VAR]: pw.server,
  [INTEGRATOR_PASSWORD_VAR]: pw.integrator,
  [devicePasswordVar('hs-1')]: pw['hs-1'],
  [devicePasswordVar('pump-1')]: pw['pump-1'],
};

/** Connects and records every status event (permission errors arrive there). */
async function login(url: string, user: keyof typeof pw, opts: { inboxPrefix?: string } = {}) {
  const nc = await connect({ servers: url, user, pass: pw[user], ...opts });
  const events: Status[] = [];
  void (async () => {
    for await (const s of nc.status()) events.push(s);
  })();
  const permissionErrors = () =>
    events
      .filter((e) => e.type === 'error' && /permissions violation/i.test(String(e.error)))
      .map((e) => String((e as { error: unknown }).error));
  return { nc, events, permissionErrors };
}

const enc = (s: string) => new TextEncoder().encode(s);

describe('NATS users and permissions (deploy/nats/nats.conf)', () => {
  let nats: PrivateNats;
  let server: NatsConnection;
  const opened: NatsConnection[] = [];

  beforeAll(async () => {
    nats = await startNats([], { configFile: CONFIG, env });
    server = await connect({ servers: nats.url, user: 'server', pass: pw.server });
    const jsm = await jetstreamManager(server);
    for (const cfg of streamConfigs()) await jsm.streams.add(cfg);
  });
  afterAll(async () => {
    for (const nc of opened) await nc.close().catch(() => undefined);
    await server?.close();
    await nats?.stop();
  });

  const streamCount = async (stream: string, subject?: string) => {
    const info = await (await jetstreamManager(server)).streams.info(stream, subject ? { subjects_filter: subject } : undefined);
    return subject ? (info.state.subjects?.[subject] ?? 0) : info.state.messages;
  };

  it('the committed nats.conf is what make-config.ts generates for hs-1 and pump-1', async () => {
    const fs = await import('node:fs');
    expect(fs.readFileSync(CONFIG, 'utf8')).toBe(natsConfig({ devices: ['hs-1', 'pump-1'] }));
  });

  it('refuses a wrong password and an unknown user', async () => {
    await expect(connect({ servers: nats.url, user: 'hs-1', pass: 'wrong' })).rejects.toThrow(/authorization/i);
    await expect(connect({ servers: nats.url, user: 'hs-9', pass: pw['hs-1'] })).rejects.toThrow(/authorization/i);
    await expect(connect({ servers: nats.url })).rejects.toThrow(/authorization/i);
  });

  it('device hs-1 publishes to JetStream on its own subjects: PubAck received, Nats-Msg-Id de-duplicates', async () => {
    const dev = await login(nats.url, 'hs-1', { inboxPrefix: deviceInboxPrefix('hs-1') });
    opened.push(dev.nc);
    const js = jetstream(dev.nc);
    const ack = await js.publish(subjects.eeg('hs-1'), enc('x'), { msgID: 'eeg:hs-1:1', timeout: 3_000 });
    expect(ack.stream).toBe('BCI_EEG');
    expect(ack.duplicate).toBe(false);
    const again = await js.publish(subjects.eeg('hs-1'), enc('x'), { msgID: 'eeg:hs-1:1', timeout: 3_000 });
    expect(again.duplicate).toBe(true);
    expect(again.seq).toBe(ack.seq);
    // The reference publisher (binary frames, message ids) works unchanged.
    const pub = new DevicePublisher(js, { retryForMs: 0, publishTimeoutMs: 3_000 });
    await pub.publishEeg(makeChunk('hs-1', 2));
    await pub.publishMarker({ deviceId: 'hs-1', timeUs: 1.8e15, code: 'cue_left', label: 'T1' });
    expect((await pub.publishReading({ deviceId: 'hs-1', time: '2026-11-25T10:00:00Z', metrics: { x: 1 } })).stream).toBe('BCI_SENSOR');
    expect(await streamCount('BCI_EEG', 'bci.eeg.hs-1')).toBe(2);
    expect(dev.permissionErrors()).toEqual([]);

    // The second example device.
    const pump = await login(nats.url, 'pump-1', { inboxPrefix: deviceInboxPrefix('pump-1') });
    opened.push(pump.nc);
    const r = await new DevicePublisher(jetstream(pump.nc), { retryForMs: 0 }).publishReading({
      deviceId: 'pump-1',
      time: '2026-11-25T10:00:00Z',
      metrics: { pressure_bar: 4.2 },
    });
    expect(r.stream).toBe('BCI_SENSOR');
  });

  it("refuses hs-1 publishing on another device's subject: the publish fails, the connection reports the violation, the stream stays clean", async () => {
    const dev = await login(nats.url, 'hs-1', { inboxPrefix: deviceInboxPrefix('hs-1') });
    opened.push(dev.nc);
    const js = jetstream(dev.nc);
    const before = await streamCount('BCI_EEG');
    await expect(js.publish(subjects.eeg('hs-2'), enc('forged'), { msgID: 'eeg:hs-2:1', timeout: 1_500 })).rejects.toThrow(
      /Permissions Violation for Publish to "bci\.eeg\.hs-2"/,
    );
    await expect(js.publish('bci.dlq.eeg.hs-1', enc('forged'), { timeout: 1_500 })).rejects.toThrow(/Permissions Violation for Publish/);
    // The device client gives up at once on a refused permission instead of retrying forever.
    const started = Date.now();
    await expect(new DevicePublisher(js).publishRaw(subjects.eeg('hs-2'), enc('forged'), 'application/json')).rejects.toThrow(/Permissions Violation/);
    expect(Date.now() - started).toBeLessThan(5_000);
    await waitFor(() => dev.permissionErrors().length >= 2, 5_000, 'permission errors on the status stream');
    expect(dev.permissionErrors().join('\n')).toMatch(/publish to "bci\.eeg\.hs-2"/i);
    expect(await streamCount('BCI_EEG', 'bci.eeg.hs-2')).toBe(0);
    expect(await streamCount('BCI_EEG')).toBe(before);
    expect(await streamCount('BCI_DLQ')).toBe(0);
    // The connection survives a violation: its own subject still works.
    expect((await js.publish(subjects.eeg('hs-1'), enc('y'), { timeout: 3_000 })).stream).toBe('BCI_EEG');
  });

  it('hs-1 cannot read: no subscription to bci.>, to other inboxes, nor the JetStream API', async () => {
    const dev = await login(nats.url, 'hs-1', { inboxPrefix: deviceInboxPrefix('hs-1') });
    opened.push(dev.nc);
    const got: string[] = [];
    for (const subject of ['bci.eeg.>', 'bci.eeg.hs-1', '_INBOX.>', '>']) {
      const sub = dev.nc.subscribe(subject, {
        callback: (_err, m) => {
          if (m) got.push(m.subject);
        },
      });
      expect(String(await sub.closed)).toMatch(/Permissions Violation for Subscription to "/);
    }
    // Data published meanwhile (and JetStream deliveries to the server's inboxes) never reach it.
    const consumerMsgs = await jetstream(server).consumers.get('BCI_EEG');
    const it = await consumerMsgs.fetch({ max_messages: 1, expires: 1_000 });
    for await (const m of it) expect(m.subject).toMatch(/^bci\.eeg\./);
    await dev.nc.flush();
    expect(got).toEqual([]);
    expect(dev.permissionErrors().join('\n')).toMatch(/subscription to "bci\.eeg\.>"/i);
    // The JetStream API (stream info, consumers, direct get) is closed to devices.
    await expect(jetstreamManager(dev.nc, { timeout: 1_500 })).rejects.toThrow(/Permissions Violation for Publish to "\$JS\.API\.INFO"/);
    await expect(dev.nc.request('$JS.API.STREAM.INFO.BCI_EEG', undefined, { timeout: 1_500 })).rejects.toThrow(
      /Permissions Violation for Publish/,
    );
  });

  it('a device must use its own inbox prefix: with the default _INBOX it never gets its PubAck', async () => {
    const dev = await login(nats.url, 'hs-1');
    opened.push(dev.nc);
    await expect(jetstream(dev.nc).publish(subjects.eeg('hs-1'), enc('z'), { timeout: 1_500 })).rejects.toThrow(
      /Permissions Violation for Subscription to "_INBOX\./,
    );
    await waitFor(() => dev.permissionErrors().some((e) => /subscription to "_INBOX\./i.test(e)), 5_000, 'inbox subscription refused');
  });

  it('the integrator only subscribes to alerts and predictions', async () => {
    const integ = await login(nats.url, 'integrator');
    opened.push(integ.nc);
    const alerts: string[] = [];
    const sub = integ.nc.subscribe('bci.alerts.>', {
      callback: (_e, m) => {
        if (m) alerts.push(m.subject);
      },
    });
    await integ.nc.flush();
    server.publish(subjects.alerts('pump-1'), enc('{}'));
    await waitFor(() => alerts.length === 1, 5_000, 'alert delivered to the integrator');
    sub.unsubscribe();
    const data = integ.nc.subscribe('bci.eeg.>');
    expect(String(await data.closed)).toMatch(/Permissions Violation for Subscription to "bci\.eeg\.>"/);
    const before = await streamCount('BCI_EEG');
    integ.nc.publish(subjects.eeg('hs-1'), enc('forged'));
    await waitFor(() => integ.permissionErrors().some((e) => /publish to "bci\.eeg\.hs-1"/i.test(e)), 5_000, 'publish refused');
    expect(await streamCount('BCI_EEG')).toBe(before);
  });

  it('the BCI server logs in as `server` (NATS_USER / NATS_PASSWORD) and stores what a device publishes', async () => {
    const db = await createTestDatabase();
    const app = await startServer({
      DATABASE_URL: db.url,
      NATS_URL: nats.url,
      NATS_USER: 'server',
      NATS_PASSWORD: pw.server,
      BCI_CONSUMER_PREFIX: 'perm',
    });
    const pg = new Client({ connectionString: db.url });
    try {
      await pg.connect();
      const dev = await login(nats.url, 'pump-1', { inboxPrefix: deviceInboxPrefix('pump-1') });
      opened.push(dev.nc);
      await new DevicePublisher(jetstream(dev.nc), { retryForMs: 0 }).publishReading({
        deviceId: 'pump-1',
        time: '2026-11-25T11:00:00Z',
        metrics: { flow: 3 },
      });
      await waitFor(
        async () =>
          Number(
            (
              await pg.query(
                `SELECT count(*) AS n FROM sensor_readings WHERE device_id = 'pump-1' AND device_time = '2026-11-25T11:00:00Z'`,
              )
            ).rows[0].n,
          ) === 1,
        30_000,
        'reading stored by the authenticated server',
      );
      expect(app.logs()).not.toMatch(/Authorization Violation|Permissions Violation/i);
    } finally {
      await pg.end().catch(() => undefined);
      await app.kill();
      await db.drop();
    }
  });
});
