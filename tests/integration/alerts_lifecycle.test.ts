// A sensor publishes a week of minute readings (accelerated) with injected anomalies. The
// server's alerts must be exactly what the pure stager + lifecycle decide on the same data
// (and those must catch the anomalies: open, escalate, clear); an acknowledgement through
// REST is recorded with the signed-in user (not whatever the body claims) and audited; the central server, down for the first part of the run,
// still receives every alert event once it is up, exactly once per idempotency key.
import * as http from 'node:http';
import { Client } from 'pg';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { DevicePublisher, type SensorReading } from '@bci/shared';
import { StagerRegistry } from '@bci/streams/anomaly';
import { AlertLifecycle, DEFAULT_CENTRAL_EVENT_TYPES, type AlertEvent } from '@bci/streams/alerts';
import { startNats, type PrivateNats } from '../support/nats-server';
import { createTestDatabase, type TestDatabase } from '../support/pg';
import { startServer, type ServerProcess } from '../support/server-process';
import { waitFor } from '../support/wait';
import { freePort } from '../support/ports';
import { authedFetch, createUser, loginAdmin } from '../support/auth';
import type { AuditEntry } from '@bci/shared';

const MINUTES = 7 * 24 * 60;
const START_MS = Date.parse('2026-11-01T00:00:00Z');
const DEVICE = 'pump-1';

/** Smooth daily demand cycle plus tiny deterministic ripple, with anomalies injected. */
function flowAt(m: number): number {
  let v = 300 + 50 * Math.sin((2 * Math.PI * m) / 1440) + 0.5 * Math.sin(m * 7.3);
  if (m === 3000) v += 400; // A: one-minute spike
  if (m === 6480) v += 90; // B: rises to stage 3 (the daily cycle crosses its mean here)...
  if (m === 6481) v += 400; // ...then spikes: a stage escalation within one incident
  if (m >= 8000 && m < 8030) v += 400; // C: sustained, left unacknowledged: escalates
  if (m >= MINUTES - 3) v += 400; // D: still active at the end, acknowledged by REST
  return v;
}

const readings: SensorReading[] = Array.from({ length: MINUTES }, (_, m) => ({
  deviceId: DEVICE,
  time: new Date(START_MS + m * 60_000).toISOString(),
  metrics: { flow_rate: flowAt(m) },
}));

const SETTINGS = { minOpenStage: 2 as const, clearAfterNormalReadings: 5, escalateAfterMs: 15 * 60_000, autoCloseAfterMs: 24 * 3_600_000 };


describe('alert lifecycle end to end', () => {
  let nats: PrivateNats;
  let db: TestDatabase;
  let server: ServerProcess;
  let nc: NatsConnection;
  let pg: Client;
  let central: http.Server | undefined;
  beforeAll(async () => {
    nats = await startNats();
    db = await createTestDatabase();
    nc = await connect({ servers: nats.url });
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  });
  afterAll(async () => {
    central?.close();
    await pg?.end();
    await nc?.close();
    await server?.kill();
    await nats?.stop();
    await db?.drop();
  });

  it('opens, escalates and clears the expected alerts and delivers them all once the central server is up', async () => {
    // What the pure code decides on this data, as the reference.
    const registry = new StagerRegistry({});
    const lifecycle = new AlertLifecycle({ ...SETTINGS, idFactory: (d, m, t) => `${d}~${m}~${t}` });
    const expected: AlertEvent[] = [];
    for (const r of readings) {
      const t = Date.parse(r.time);
      for (const s of registry.ingest(r)) if (s.status === 'scored') expected.push(...lifecycle.observe({ deviceId: DEVICE, metric: s.metric, time: t, value: r.metrics[s.metric], stage: s.stage }));
      expected.push(...lifecycle.tick(t));
    }
    const opened = expected.filter((e) => e.type === 'opened');
    const openedAtMinute = (m: number) => opened.find((e) => e.time === START_MS + m * 60_000);
    // The reference catches every injected anomaly.
    expect(openedAtMinute(3000)?.alert.lastStage).toBe(4);
    const b = openedAtMinute(6480);
    expect(b).toBeDefined();
    expect(expected.some((e) => e.alertId === b!.alertId && e.type === 'stage_escalated')).toBe(true);
    const c = openedAtMinute(8000)!;
    expect(expected.some((e) => e.alertId === c.alertId && e.type === 'escalated_unacknowledged')).toBe(true);
    expect(expected.some((e) => e.alertId === c.alertId && e.type === 'cleared')).toBe(true);
    expect(openedAtMinute(MINUTES - 3)).toBeDefined();

    const centralPort = await freePort();
    server = await startServer({
      DATABASE_URL: db.url,
      NATS_URL: nats.url,
      BCI_CENTRAL_URL: `http://127.0.0.1:${centralPort}/alerts`,
      BCI_CENTRAL_MAX_RETRY_DELAY_MS: '1000',
      BCI_ALERT_MIN_OPEN_STAGE: '2',
      BCI_ALERT_CLEAR_AFTER_NORMAL: '5',
      BCI_ALERT_ESCALATE_AFTER_MIN: '15',
      BCI_ALERT_AUTO_CLOSE_AFTER_H: '24',
    });
    const pub = new DevicePublisher(jetstream(nc));
    for (let i = 0; i < readings.length; i += 500) await Promise.all(readings.slice(i, i + 500).map((r) => pub.publishReading(r)));

    await waitFor(async () => Number((await pg.query('SELECT count(*) FROM sensor_stages')).rows[0].count) === MINUTES, 60_000, 'every reading staged');
    const events = (await pg.query('SELECT alert_id, seq, type, extract(epoch FROM event_time) * 1000 AS t FROM alert_events ORDER BY alert_id, seq')).rows;
    const key = (e: { alertId: string; seq: number; type: string }) => `${e.alertId}:${e.seq}:${e.type}`;
    // The reference ticks after every reading; the server ticks per batch and on a timer, so
    // time-driven events (escalation, auto-close) may come at a later reading: compare the
    // reading-driven events exactly and check that the time-driven ones are all there.
    const byReading = (t: string) => !['escalated_unacknowledged', 'closed'].includes(t);
    expect(events.filter((e) => byReading(e.type)).map((e) => key({ alertId: e.alert_id, seq: 0, type: e.type })).sort()).toEqual(
      expected.filter((e) => byReading(e.type)).map((e) => key({ alertId: e.alertId, seq: 0, type: e.type })).sort(),
    );
    expect(events.some((e) => e.alert_id === c.alertId && e.type === 'escalated_unacknowledged')).toBe(true);

    // The central server has been down so far: deliveries are failing and being retried.
    await waitFor(async () => Number((await pg.query(`SELECT count(*) FROM alert_outbox WHERE attempts > 0 AND status = 'pending' AND last_error IS NOT NULL`)).rows[0].count) > 0, 20_000, 'failed delivery attempts');

    // Acknowledge the alert still active at the end, through REST, as an operator.
    const adminToken = (await loginAdmin(server.url)).accessToken;
    const kim = await createUser(server.url, 'operator', [], { adminToken, username: 'operator-kim' });
    const lee = await createUser(server.url, 'operator', [], { adminToken, username: 'operator-lee' });
    const d = openedAtMinute(MINUTES - 3)!;
    const ackedAt = Date.now();
    // The body's `by` is ignored: the actor is the token's user.
    const ack = await kim.fetch(`/api/alerts/${encodeURIComponent(d.alertId)}/acknowledge`, { body: { by: 'someone-else', note: 'crew dispatched' } });
    expect(ack.status).toBe(200);
    expect(await ack.json()).toMatchObject({ state: 'active_acknowledged', acknowledgedBy: 'operator-kim', acknowledgeNote: 'crew dispatched' });
    const ackRow = (await pg.query(`SELECT actor, note FROM alert_events WHERE alert_id = $1 AND type = 'acknowledged'`, [d.alertId])).rows;
    expect(ackRow).toEqual([{ actor: 'operator-kim', note: 'crew dispatched' }]);
    const again = await lee.fetch(`/api/alerts/${encodeURIComponent(d.alertId)}/acknowledge`, { body: {} });
    expect(again.status).toBe(409);
    // Who acknowledged what and when is in the audit log.
    const audit = (await (await authedFetch(server.url, adminToken)('/api/audit?action=alert.acknowledge')).json()) as AuditEntry[];
    expect(audit).toEqual([expect.objectContaining({ actor: 'operator-kim', action: 'alert.acknowledge', target: d.alertId })]);
    expect(Math.abs(Date.parse(audit[0].at) - ackedAt)).toBeLessThan(30_000);
    expect(audit[0].details).toMatchObject({ deviceId: DEVICE, note: 'crew dispatched' });

    // Now the central server comes up; it keeps one copy per idempotency key.
    const received = new Map<string, Record<string, unknown>>();
    let posts = 0;
    central = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        posts++;
        const k = String(req.headers['idempotency-key']);
        if (!received.has(k)) received.set(k, JSON.parse(body));
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => central!.listen(centralPort, '127.0.0.1', r));
    const outboxKeys = expected.filter((e) => DEFAULT_CENTRAL_EVENT_TYPES.has(e.type)).map((e) => e.idempotencyKey);
    await waitFor(async () => Number((await pg.query(`SELECT count(*) FROM alert_outbox WHERE status <> 'delivered'`)).rows[0].count) === 0, 60_000, 'outbox drained');
    const stored = (await pg.query('SELECT idempotency_key FROM alert_outbox')).rows.map((r) => r.idempotency_key);
    expect(new Set(stored)).toEqual(new Set(outboxKeys));
    expect(new Set(received.keys())).toEqual(new Set(outboxKeys));
    expect(posts).toBe(outboxKeys.length);
    for (const p of received.values()) expect(Object.keys(p).sort()).toEqual(['alert_id', 'machine_number', 'metric', 'outlier_stage', 'time', 'value']);
    const first = received.get(openedAtMinute(3000)!.idempotencyKey)!;
    expect(first).toMatchObject({ machine_number: DEVICE, outlier_stage: 4, metric: 'flow_rate', time: new Date(START_MS + 3000 * 60_000).toISOString() });

    // The query API filters by state, device and stage.
    const active = await (await kim.fetch(`/api/alerts?state=active_acknowledged&deviceId=${DEVICE}&stage=4`)).json();
    expect(active.map((a: { id: string }) => a.id)).toContain(d.alertId);
  });
});
