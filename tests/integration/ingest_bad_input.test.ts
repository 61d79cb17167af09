// A stream mixing valid messages with every kind of bad input: every valid one is stored,
// every bad one lands in the DLQ (and the rejected_messages table) with a reason naming its
// fault, and the server keeps going.
import type { Client } from 'pg';
import type { JetStreamClient } from '@nats-io/jetstream';
import {
  DevicePublisher,
  EEG_FRAME_CONTENT_TYPE,
  encodeEegFrame,
  encodeEegJson,
  eegChunkToJson,
  subjects,
  type EegChunk,
} from '@bci/shared';
import type { ServerProcess } from '../support/server-process';
import { startServerStack, type ServerStack } from '../support/server-stack';
import { waitFor } from '../support/wait';
import { makeChunk } from '../support/durability';

const enc = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));

describe('ingest of bad input', () => {
  let stack: ServerStack;
  let server: ServerProcess;
  let js: JetStreamClient;
  let pg: Client;

  beforeAll(async () => {
    stack = await startServerStack({ BCI_MAX_PAYLOAD_BYTES: '65536' });
    ({ server, js, pg } = stack);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('stores all valid messages and dead-letters each bad one with its fault', async () => {
    const dev = new DevicePublisher(js);
    const good = (seq: number) => makeChunk('hs-1', seq);
    const frame = (c: EegChunk) => encodeEegFrame(c);
    // [description, subject, payload, content type, expected fault]
    const bad: [string, string, Uint8Array, string | undefined, string][] = [
      ['invalid JSON', subjects.eeg('hs-1'), new TextEncoder().encode('{"seq": 1,'), 'application/json', 'decode'],
      ['invalid binary frame', subjects.eeg('hs-1'), new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40]), EEG_FRAME_CONTENT_TYPE, 'decode'],
      ['schema violation (no seq)', subjects.eeg('hs-1'), enc({ ...eegChunkToJson(good(50)), seq: undefined }), 'application/json', 'schema'],
      ['NaN sample', subjects.eeg('hs-1'), frame({ ...good(51), samples: good(51).samples.map((v, i) => (i === 3 ? NaN : v)) }), EEG_FRAME_CONTENT_TYPE, 'non_finite'],
      ['Infinity sample', subjects.eeg('hs-1'), new TextEncoder().encode(new TextDecoder().decode(encodeEegJson(good(52))).replace(/\[(-?[\d.]+),/, '[1e400,')), 'application/json', 'non_finite'],
      ['wrong channel count', subjects.eeg('hs-1'), frame({ ...good(53), channels: ['C3', 'C4'], samples: new Float32Array(2 * 16) }), EEG_FRAME_CONTENT_TYPE, 'channel_count'],
      ['sample-rate change', subjects.eeg('hs-1'), frame({ ...good(54), fsHz: 250 }), EEG_FRAME_CONTENT_TYPE, 'sample_rate_change'],
      ['seq going backwards', subjects.eeg('hs-1'), frame(good(2)), EEG_FRAME_CONTENT_TYPE, 'seq_regression'],
      ['oversize', subjects.eeg('hs-1'), new Uint8Array(70_000), EEG_FRAME_CONTENT_TYPE, 'oversize'],
      ['payload for another device', subjects.eeg('hs-1'), frame({ ...good(55), deviceId: 'hs-2' }), EEG_FRAME_CONTENT_TYPE, 'device_mismatch'],
      ['sensor metric not a number', subjects.sensor('pump-1'), enc({ deviceId: 'pump-1', time: '2026-11-25T10:01:00Z', metrics: { flow_rate: 'n/a' } }), 'application/json', 'schema'],
      ['unknown marker code', subjects.markers('hs-1'), enc({ deviceId: 'hs-1', timeUs: 1.8e15, code: 'jump', label: '' }), 'application/json', 'schema'],
    ];
    // Valid chunks 0..9 first, then the bad ones interleaved with valid chunks 10..21.
    for (let s = 0; s < 10; s++) await dev.publishEeg(good(s));
    let seq = 10;
    for (const [, subject, payload, type] of bad) {
      await dev.publishRaw(subject, payload, type);
      await dev.publishEeg(good(seq++));
    }
    await dev.publishReading({ deviceId: 'pump-1', time: '2026-11-25T10:00:00Z', metrics: { flow_rate: 310.5, pressure: 2.9 } });
    await dev.publishMarker({ deviceId: 'hs-1', timeUs: 1.8e15, code: 'cue_left', label: 'T1', durationS: 4 });

    await waitFor(async () => Number((await pg.query('SELECT count(*) FROM rejected_messages')).rows[0].count) >= bad.length, 30_000, 'all rejections recorded');
    await waitFor(async () => Number((await pg.query(`SELECT count(*) FROM eeg_chunks WHERE device_id = 'hs-1'`)).rows[0].count) >= seq, 30_000, 'all valid chunks stored');

    const stored = await pg.query(`SELECT seq FROM eeg_chunks WHERE device_id = 'hs-1' ORDER BY seq`);
    expect(stored.rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: seq }, (_, i) => i));
    expect(Number((await pg.query(`SELECT count(*) FROM sensor_readings WHERE device_id = 'pump-1'`)).rows[0].count)).toBe(2);
    expect(Number((await pg.query(`SELECT count(*) FROM markers WHERE device_id = 'hs-1'`)).rows[0].count)).toBe(1);

    const rejected = await pg.query('SELECT fault, reason, subject, length(payload) AS n FROM rejected_messages ORDER BY stream, stream_seq');
    expect(rejected.rows.map((r) => r.fault).sort()).toEqual(bad.map((b) => b[4]).sort());
    for (const r of rejected.rows) expect(r.reason.length).toBeGreaterThan(15);

    // The DLQ stream holds each bad message, original payload as body, fault and reason in headers.
    const jsm = await js.jetstreamManager();
    const info = await jsm.streams.info('BCI_DLQ');
    expect(info.state.messages).toBe(bad.length);
    const dlq = await js.consumers.get('BCI_DLQ');
    const seen: { subject: string; fault: string; reason: string; bytes: number }[] = [];
    const it = await dlq.fetch({ max_messages: bad.length, expires: 5_000 });
    for await (const m of it) seen.push({ subject: m.subject, fault: m.headers!.get('Bci-Fault'), reason: m.headers!.get('Bci-Reason'), bytes: m.data.length });
    expect(seen.map((s) => s.fault).sort()).toEqual(bad.map((b) => b[4]).sort());
    const bySubjectKind = seen.filter((s) => s.subject.startsWith('bci.dlq.sensor.pump-1'));
    expect(bySubjectKind).toHaveLength(1);
    const oversize = seen.find((s) => s.fault === 'oversize')!;
    expect(oversize.bytes).toBe(70_000);
    expect(oversize.reason).toMatch(/70000 bytes exceeds the limit of 65536/);
    const regression = seen.find((s) => s.fault === 'seq_regression')!;
    expect(regression.reason).toMatch(/seq 2 does not advance/);

    // The server is still up and answering.
    const health = await (await fetch(`${server.url}/api/health`)).json();
    expect(health.status).toBe('ok');
  });
});
