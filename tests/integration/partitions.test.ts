// Devices split between server processes by partition. nats-server's subject mapping
// (`{{partition(n,1)}}` on the device token) decides the partition; each server consumes only the
// partitions it owns (one durable consumer per stream and partition), so each device's live state
// lives in exactly one process. Checked against a real nats-server, two real servers and one database.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { DevicePublisher, partitionOf, rooms, subjects } from '@bci/shared';
import { startNats, type PrivateNats } from '../support/nats-server';
import { createTestDatabase, type TestDatabase } from '../support/pg';
import { startServer, type ServerProcess } from '../support/server-process';
import { waitFor } from '../support/wait';
import { makeChunk } from '../support/durability';
import { authedSocket, bearer, loginAdmin } from '../support/auth';
import { streamConfigs } from '../../server/src/nats/streams';
import { devicePasswordVar, natsConfig, partitionMappingsBlock, SERVER_PASSWORD_VAR } from '../../deploy/nats/make-config';

function writeConfig(text: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bci-nats-conf-')), 'nats.conf');
  fs.writeFileSync(file, text);
  return file;
}

const mappingOnly = (count: number) => partitionMappingsBlock(count).join('\n');

/** The first `perPartition` ids of the form `<prefix>-<n>` in each of `count` partitions. */
function devicesByPartition(prefix: string, count: number, perPartition: number): string[][] {
  const out: string[][] = Array.from({ length: count }, () => []);
  for (let n = 0; out.some((ids) => ids.length < perPartition); n++) {
    const id = `${prefix}-${n}`;
    const ids = out[partitionOf(id, count)];
    if (ids.length < perPartition) ids.push(id);
  }
  return out;
}

async function createStreams(nc: NatsConnection): Promise<void> {
  const jsm = await jetstreamManager(nc);
  for (const cfg of streamConfigs()) await jsm.streams.add(cfg);
}

describe('partitioned ownership of devices', () => {
  it("nats-server's mapping puts every device in the partition partitionOf computes, and devices still publish under the generated permissions", async () => {
    const pw = { server: 'p' + randomBytes(12).toString('hex'), device: 'p' + randomBytes(12).toString('hex') };
    const config = writeConfig(natsConfig({ devices: ['hs-1', 'pump-1'], partitions: 4, integrator: false }));
    const nats = await startNats([], {
      configFile: config,
      env: { [SERVER_PASSWORD_VAR]: pw.server, [devicePasswordVar('hs-1')]: pw.device, [devicePasswordVar('pump-1')]: pw.device },
    });
    const server = await connect({ servers: nats.url, user: 'server', pass: pw.server });
    const device = await connect({ servers: nats.url, user: 'hs-1', pass: pw.device, inboxPrefix: '_INBOX_hs-1' });
    try {
      await createStreams(server);
      const seen: string[] = [];
      server.subscribe('bci.>', { callback: (_err, m) => void seen.push(m.subject) });
      await server.flush();
      const ids = Array.from({ length: 60 }, (_, i) => `dev${i}-${(i * 7919) % 1000}`);
      for (const id of ids) server.publish(subjects.markers(id), '{}');
      await server.flush();
      await waitFor(() => seen.length >= ids.length, 5_000, 'mapped messages');
      expect(seen.sort()).toEqual(ids.map((id) => `bci.markers.${partitionOf(id, 4)}.${id}`).sort());
      expect(new Set(ids.map((id) => partitionOf(id, 4))).size).toBe(4);

      // A device publishes on its plain subject, gets its PubAck, and JetStream stores the mapped subject.
      const ack = await new DevicePublisher(jetstream(device)).publishEeg(makeChunk('hs-1', 0));
      const stored = await (await jetstreamManager(server)).streams.getMessage(ack.stream, { seq: ack.seq });
      expect(stored?.subject).toBe(`bci.eeg.${partitionOf('hs-1', 4)}.hs-1`);
    } finally {
      await device.close();
      await server.close();
      await nats.stop();
    }
  });

  describe('two servers, each owning one of two partitions', () => {
    let nats: PrivateNats;
    let db: TestDatabase;
    let nc: NatsConnection;
    const servers: ServerProcess[] = [];
    const [part0, part1] = devicesByPartition('split', 2, 2);
    const all = [...part0, ...part1];
    beforeAll(async () => {
      nats = await startNats([], { configFile: writeConfig(mappingOnly(2)) });
      db = await createTestDatabase();
      for (const owned of ['0', '1'])
        servers.push(
          await startServer({
            DATABASE_URL: db.url,
            NATS_URL: nats.url,
            BCI_PARTITIONS: '2',
            BCI_PARTITIONS_OWNED: owned,
            BCI_STAGER_MIN_POINTS: '10',
          }),
        );
      nc = await connect({ servers: nats.url });
    });
    afterAll(async () => {
      await nc?.close();
      for (const s of servers) await s.kill();
      await nats?.stop();
      await db?.drop();
    });

    it('consume, process and serve only the devices of their own partition, and store every chunk once', async () => {
      const sockets = await Promise.all(servers.map(async (s) => authedSocket(s.url, (await loginAdmin(s.url)).accessToken)));
      const heard = servers.map(() => new Set<string>());
      sockets.forEach((socket, i) => socket.on('quality', (q: { deviceId: string }) => heard[i].add(q.deviceId)));
      for (const socket of sockets) {
        await new Promise<void>((resolve) => (socket.connected ? resolve() : socket.on('connect', () => resolve())));
        expect((await socket.emitWithAck('subscribe', { rooms: all.map(rooms.device) })).ok).toBe(true);
      }
      const pub = new DevicePublisher(jetstream(nc));
      const CHUNKS = 30; // 3 s: quality frames once a second
      for (let seq = 0; seq < CHUNKS; seq++) await Promise.all(all.map((id) => pub.publishEeg(makeChunk(id, seq))));

      await waitFor(() => heard[0].size === part0.length && heard[1].size === part1.length, 15_000, 'quality frames from both servers');
      expect([...heard[0]].sort()).toEqual([...part0].sort());
      expect([...heard[1]].sort()).toEqual([...part1].sort());

      const pg = new Client({ connectionString: db.url });
      await pg.connect();
      try {
        const counts = async () =>
          (
            await pg.query<{ device_id: string; n: number; distinct_seq: number }>(
              `SELECT device_id, count(*)::int AS n, count(DISTINCT seq)::int AS distinct_seq FROM eeg_chunks GROUP BY device_id ORDER BY device_id`,
            )
          ).rows;
        await waitFor(async () => (await counts()).reduce((n, r) => n + r.n, 0) >= all.length * CHUNKS, 10_000, 'stored chunks');
        expect(await counts()).toEqual([...all].sort().map((device_id) => ({ device_id, n: CHUNKS, distinct_seq: CHUNKS })));
      } finally {
        await pg.end();
      }
      for (const socket of sockets) socket.close();
      // Each server runs its own durable consumers, one per stream and owned partition.
      const jsm = await jetstreamManager(nc);
      const names: string[] = [];
      for await (const c of jsm.consumers.list('BCI_EEG')) names.push(`${c.name} ${c.config.filter_subject}`);
      expect(names.sort()).toEqual(['bci-server-ingest-eeg-p0 bci.eeg.0.*', 'bci-server-ingest-eeg-p1 bci.eeg.1.*']);
      // Health says what each server owns and how far behind its consumers are (all caught up here).
      const health = (await (await fetch(`${servers[1].url}/api/health`)).json()) as {
        partitions: { count: number; owned: number[] };
        consumers: { name: string; filter: string; pending: number; ackPending: number }[];
      };
      expect(health.partitions).toEqual({ count: 2, owned: [1] });
      expect(health.consumers.map((c) => [c.name, c.filter])).toEqual(
        ['eeg', 'markers', 'sensor'].map((kind) => [`bci-server-ingest-${kind}-p1`, `bci.${kind}.1.*`]),
      );
      await waitFor(
        async () => {
          const h = (await (await fetch(`${servers[1].url}/api/health`)).json()) as typeof health;
          return h.consumers.every((c) => c.pending === 0 && c.ackPending === 0);
        },
        5_000,
        'consumers caught up',
      );
    });

    it("refuses to activate a model for another partition's device with 421, naming the partition", async () => {
      const foreign = part1[0];
      const pg = new Client({ connectionString: db.url });
      await pg.connect();
      const id = randomUUID();
      try {
        await pg.query(
          `INSERT INTO models (id, device_id, subject, pipeline, version, artifact) VALUES ($1, $2, 's', 'csp-lda', 1, '{}'::jsonb)`,
          [id, foreign],
        );
      } finally {
        await pg.end();
      }
      const activate = async (s: ServerProcess) => {
        const res = await fetch(`${s.url}/api/models/${id}/activate`, {
          method: 'POST',
          headers: bearer((await loginAdmin(s.url)).accessToken),
        });
        return { status: res.status, body: (await res.json()) as { message: string; partition?: number } };
      };
      const wrong = await activate(servers[0]);
      expect(wrong.status).toBe(421);
      expect(wrong.body).toMatchObject({ partition: 1 });
      expect(wrong.body.message).toContain(`device ${foreign} is in partition 1 of 2`);
      // The owner does try (and refuses this empty artefact for what it is, not for ownership).
      const owner = await activate(servers[1]);
      expect(owner.status).toBe(400);
    });

    it("stages a device's readings on its owner, whose alert the other server refuses to act on with 421", async () => {
      const pump = devicesByPartition('pump', 2, 1)[1][0];
      const pub = new DevicePublisher(jetstream(nc));
      const t0 = Date.now() - 30 * 60_000;
      for (let i = 0; i < 25; i++)
        await pub.publishReading({
          deviceId: pump,
          time: new Date(t0 + i * 60_000).toISOString(),
          metrics: { pressure: 3 + 0.1 * Math.sin(i) },
        });
      await pub.publishReading({ deviceId: pump, time: new Date(t0 + 25 * 60_000).toISOString(), metrics: { pressure: 40 } });
      const token = (await loginAdmin(servers[0].url)).accessToken;
      const alert = await waitFor(
        async () => {
          const res = await fetch(`${servers[0].url}/api/alerts?deviceId=${pump}`, { headers: bearer(token) });
          return ((await res.json()) as { id: string; deviceId: string }[])[0];
        },
        15_000,
        "the pump's alert",
      );
      const act = async (s: ServerProcess) =>
        fetch(`${s.url}/api/alerts/${encodeURIComponent(alert.id)}/acknowledge`, {
          method: 'POST',
          headers: { ...bearer((await loginAdmin(s.url)).accessToken), 'content-type': 'application/json' },
          body: JSON.stringify({ note: 'on it' }),
        });
      const wrong = await act(servers[0]);
      expect(wrong.status).toBe(421);
      expect(await wrong.json()).toMatchObject({ partition: 1 });
      const owner = await act(servers[1]);
      expect(owner.status).toBe(200);
      expect(await owner.json()).toMatchObject({ id: alert.id, deviceId: pump, state: 'active_acknowledged' });
    });
  });

  it('a partitioned server warns about messages stored without the mapping, which none of its consumers read', async () => {
    const nats = await startNats();
    const db = await createTestDatabase();
    const nc = await connect({ servers: nats.url });
    let server: ServerProcess | undefined;
    try {
      await createStreams(nc);
      await new DevicePublisher(jetstream(nc)).publishEeg(makeChunk('unmapped-1', 0));
      server = await startServer({ DATABASE_URL: db.url, NATS_URL: nats.url, BCI_PARTITIONS: '4' });
      await waitFor(
        () => /1 message\(s\) in BCI_EEG are on unpartitioned subjects \(bci\.eeg\.\*\)/.test(server!.logs()),
        10_000,
        'the warning',
      );
      expect(server.logs()).toContain('owning partition(s) 0, 1, 2, 3 of 4');
    } finally {
      await server?.kill();
      await nc.close();
      await nats.stop();
      await db.drop();
    }
  });
});
