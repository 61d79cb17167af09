// The per-device rate limit on the real server: with BCI_DEVICE_MAX_MSGS_PER_S=20 (burst 40) a
// device flooding 200 chunks in well under a second gets the burst (and what refills meanwhile)
// stored and the rest dead-lettered as rate_limited; a device sending at a normal rate at the
// same time loses nothing; stored + rejected = sent.
import type { Client } from 'pg';
import type { JetStreamClient } from '@nats-io/jetstream';
import { DevicePublisher } from '@bci/shared';
import { startServerStack, type ServerStack } from '../support/server-stack';
import { waitFor } from '../support/wait';
import { makeChunk } from '../support/durability';

const RATE = 20;
const BURST = 2 * RATE;
const FLOOD = 200;
const CALM = 20;

describe('ingest per-device rate limit', () => {
  let stack: ServerStack;
  let js: JetStreamClient;
  let pg: Client;

  beforeAll(async () => {
    stack = await startServerStack({ BCI_DEVICE_MAX_MSGS_PER_S: String(RATE) });
    ({ js, pg } = stack);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const count = async (sql: string, ...params: unknown[]) => Number((await pg.query(sql, params)).rows[0].n);

  it('dead-letters a flooding device beyond its rate while a normal device loses nothing', async () => {
    const pub = new DevicePublisher(js);
    // The calm device: 10 chunks/s for 2 s, meanwhile the flood.
    const calm = (async () => {
      for (let s = 0; s < CALM; s++) {
        await pub.publishEeg(makeChunk('calm-1', s));
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    await Promise.all(Array.from({ length: FLOOD }, (_, s) => pub.publishEeg(makeChunk('flood-1', s))));
    const floodMs = Date.now() - started;
    expect(floodMs).toBeLessThan(1_000);
    await calm;

    const storedFlood = () => count(`SELECT count(*) AS n FROM eeg_chunks WHERE device_id = 'flood-1'`);
    const rejectedFlood = () => count(`SELECT count(*) AS n FROM rejected_messages WHERE device_id = 'flood-1'`);
    await waitFor(async () => (await storedFlood()) + (await rejectedFlood()) >= FLOOD, 30_000, 'every flood message stored or rejected');
    await waitFor(
      async () => (await count(`SELECT count(*) AS n FROM eeg_chunks WHERE device_id = 'calm-1'`)) >= CALM,
      30_000,
      'calm device stored',
    );

    // The calm device: everything, in order, nothing refused.
    const calmSeqs = (await pg.query(`SELECT seq FROM eeg_chunks WHERE device_id = 'calm-1' ORDER BY seq`)).rows.map((r) => Number(r.seq));
    expect(calmSeqs).toEqual(Array.from({ length: CALM }, (_, i) => i));
    expect(await count(`SELECT count(*) AS n FROM rejected_messages WHERE device_id = 'calm-1'`)).toBe(0);

    // The flooder: the burst and what refilled while the server read the flood; the rest refused.
    const stored = await storedFlood();
    const rejected = await rejectedFlood();
    expect(stored + rejected).toBe(FLOOD);
    expect(stored).toBeGreaterThanOrEqual(BURST);
    expect(stored).toBeLessThan(FLOOD / 2);
    const faults = await pg.query(`SELECT DISTINCT fault, reason FROM rejected_messages WHERE device_id = 'flood-1'`);
    expect(faults.rows).toHaveLength(1);
    expect(faults.rows[0].fault).toBe('rate_limited');
    expect(faults.rows[0].reason).toBe(
      `device flood-1 sent more than ${RATE} messages/s on bci.eeg.flood-1 (burst ${BURST}); the excess is dead-lettered (BCI_DEVICE_MAX_MSGS_PER_S)`,
    );
    // Accepted chunks are distinct seqs (gaps where refused); the first BURST are all there.
    const seqs = (await pg.query(`SELECT seq FROM eeg_chunks WHERE device_id = 'flood-1' ORDER BY seq`)).rows.map((r) => Number(r.seq));
    expect(new Set(seqs).size).toBe(stored);

    // The DLQ holds each refused message, with the fault in its headers.
    const jsm = await js.jetstreamManager();
    await waitFor(async () => (await jsm.streams.info('BCI_DLQ')).state.messages === rejected, 10_000, 'DLQ holds the refused messages');
    const info = await jsm.streams.info('BCI_DLQ', { subjects_filter: 'bci.dlq.>' });
    expect(Object.keys(info.state.subjects ?? {})).toEqual(['bci.dlq.eeg.flood-1']);
    const it = await (await js.consumers.get('BCI_DLQ')).fetch({ max_messages: 1, expires: 5_000 });
    for await (const m of it) expect(m.headers!.get('Bci-Fault')).toBe('rate_limited');

    // A second later the flooder may send again.
    await new Promise((r) => setTimeout(r, 1_000));
    await pub.publishEeg(makeChunk('flood-1', FLOOD));
    await waitFor(async () => (await storedFlood()) === stored + 1, 10_000, 'flooder admitted again after refill');
  });
});
