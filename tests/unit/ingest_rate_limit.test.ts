// sortBatch with the per-device rate limit: a flooder's excess is refused as rate_limited with
// a reason naming the rate, other devices are untouched, redeliveries are never charged, and a
// backlog drained fast is judged by when JetStream stored it, not when the server read it.
import { encodeEegFrame, encodeSensorReading, EEG_FRAME_CONTENT_TYPE, type EegChunk } from '@bci/shared';
import { sortBatch, type RawMessage } from '../../server/src/ingest/ingest-batch';
import { memoryLayoutCache as layouts } from '../support/layout-cache';
import { BURST_SECONDS, IngestRateLimit } from '../../server/src/ingest/rate-limit';
import { loadConfig } from '../../server/src/config/config';

const S = 1_000_000;
const T0 = 1_800_000_000 * S;

function chunk(deviceId: string, seq: number): EegChunk {
  return {
    deviceId,
    seq,
    t0Us: T0 + seq * 100_000,
    fsHz: 160,
    channels: ['C3', 'C4'],
    unit: 'uV',
    nSamples: 16,
    samples: new Float32Array(32),
  };
}

let streamSeq = 0;
function eegMsg(deviceId: string, seq: number, receivedAtUs: number, extra: Partial<RawMessage> = {}): RawMessage {
  return {
    subject: `bci.eeg.${deviceId}`,
    data: encodeEegFrame(chunk(deviceId, seq)),
    headers: { 'Content-Type': [EEG_FRAME_CONTENT_TYPE] },
    redelivered: false,
    stream: 'BCI_EEG',
    streamSeq: ++streamSeq,
    receivedAtUs,
    ...extra,
  };
}


describe('ingest rate limit in sortBatch', () => {
  it('refuses the excess of a flooding device as rate_limited, naming the rate, and leaves the others alone', () => {
    const limit = new IngestRateLimit(20);
    expect(limit.burst).toBe(20 * BURST_SECONDS);
    const cache = layouts();
    const batch: RawMessage[] = [];
    for (let i = 0; i < 200; i++) batch.push(eegMsg('flood-1', i, T0 + i * 1000)); // 200 in 0.2 s
    for (let i = 0; i < 3; i++) batch.push(eegMsg('calm-1', i, T0 + i * 100_000));
    const out = sortBatch(batch, cache, 1 << 20, limit);
    const floodOk = out.eeg.filter((a) => a.value.deviceId === 'flood-1');
    // 40 burst + 20/s × 0.199 s ≈ 3 more
    expect(floodOk.length).toBeGreaterThanOrEqual(40);
    expect(floodOk.length).toBeLessThanOrEqual(44);
    expect(out.eeg.filter((a) => a.value.deviceId === 'calm-1')).toHaveLength(3);
    expect(out.rejected).toHaveLength(200 - floodOk.length);
    for (const r of out.rejected) {
      expect(r).toMatchObject({ fault: 'rate_limited', kind: 'eeg', deviceId: 'flood-1' });
      expect(r.reason).toMatch(/more than 20 messages\/s on bci\.eeg\.flood-1 \(burst 40\)/);
    }
    // Accepted chunks keep their order, with gaps where the excess was refused.
    const seqs = floodOk.map((a) => a.value.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
  });

  it('each subject of a device has its own bucket; sensor readings are limited too', () => {
    const limit = new IngestRateLimit(1); // burst 2
    const reading = (i: number): RawMessage => ({
      ...eegMsg('pump-1', 0, T0),
      subject: 'bci.sensor.pump-1',
      stream: 'BCI_SENSOR',
      headers: {},
      data: encodeSensorReading({ deviceId: 'pump-1', time: new Date(1.8e12 + i * 1000).toISOString(), metrics: { p: 1 } }),
    });
    const out = sortBatch([reading(0), reading(1), reading(2), eegMsg('pump-1', 0, T0)], layouts(), 1 << 20, limit);
    expect(out.sensor).toHaveLength(2);
    expect(out.rejected.map((r) => [r.kind, r.fault])).toEqual([['sensor', 'rate_limited']]);
    expect(out.eeg).toHaveLength(1);
  });

  it('never charges nor refuses a redelivery (its first delivery was charged)', () => {
    const limit = new IngestRateLimit(1);
    const cache = layouts();
    const first = [0, 1].map((i) => eegMsg('hs-1', i, T0));
    expect(sortBatch(first, cache, 1 << 20, limit).eeg).toHaveLength(2);
    // The write failed; JetStream redelivers the same messages at once: all pass.
    const again = first.map((m) => ({ ...m, redelivered: true }));
    expect(sortBatch(again, layouts(), 1 << 20, limit).eeg).toHaveLength(2);
    // and did not use tokens: the bucket is still empty, not in debt
    expect(sortBatch([eegMsg('hs-1', 2, T0 + 1 * S)], cache, 1 << 20, limit).eeg).toHaveLength(1);
  });

  it('judges a backlog by when JetStream stored it, when the consumer passes that time', () => {
    const limit = new IngestRateLimit(20);
    // 10 minutes of a 10 msgs/s device, read in one go after a server outage.
    const backlog = Array.from({ length: 6000 }, (_, i) => eegMsg('hs-1', i, T0 + 600 * S, { publishedAtUs: T0 + i * 100_000 }));
    const out = sortBatch(backlog, layouts(), 1 << 20, limit);
    expect(out.rejected).toEqual([]);
    expect(out.eeg).toHaveLength(6000);
  });

  it('limit 0 or null is off; invalid subjects are left to the decoder', () => {
    expect(IngestRateLimit.fromRate(0)).toBeNull();
    const many = Array.from({ length: 500 }, (_, i) => eegMsg('hs-1', i, T0));
    expect(sortBatch(many, layouts(), 1 << 20, null).eeg).toHaveLength(500);
    const limit = new IngestRateLimit(1);
    const bad = Array.from({ length: 5 }, () => ({ ...eegMsg('hs-1', 0, T0), subject: 'bci.eeg.a.b' }));
    expect(sortBatch(bad, layouts(), 1 << 20, limit).rejected.map((r) => r.fault)).toEqual([
      'schema',
      'schema',
      'schema',
      'schema',
      'schema',
    ]);
  });

  it('reads BCI_DEVICE_MAX_MSGS_PER_S (default 0 = off)', () => {
    expect(loadConfig({}).ingest.deviceMaxMsgsPerS).toBe(0);
    expect(loadConfig({ BCI_DEVICE_MAX_MSGS_PER_S: '200' }).ingest.deviceMaxMsgsPerS).toBe(200);
    expect(loadConfig({ BCI_DEVICE_MAX_MSGS_PER_S: '12.5' }).ingest.deviceMaxMsgsPerS).toBe(12.5);
    expect(() => loadConfig({ BCI_DEVICE_MAX_MSGS_PER_S: '-1' })).toThrow(/BCI_DEVICE_MAX_MSGS_PER_S/);
  });
});
