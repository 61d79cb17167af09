// The bci-device runners against a real JetStream: an EDF replay lands as ceil(samples/chunk)
// chunks with the file's samples (as float32) and one marker per annotation; CSV replays and
// the synthetic sensor (with an injected anomaly) land as the expected readings.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { decodeEegFrame, decodeMarker, decodeSensorReading, type EegChunk, type Marker, type SensorReading } from '@bci/shared';
import { readEdf } from '@bci/streams/edf';
import { SyntheticSensor } from '@bci/streams/synth';
import { replayCsv, replayEdf, runSyntheticEeg, runSyntheticSensor } from '@bci/devices';
import { startNats, type PrivateNats } from '../support/nats-server';

const EDF_FILE = join(__dirname, '../fixtures/eeg/S001R04.edf');

async function readAll<T>(js: JetStreamClient, stream: string, subject: string, decode: (b: Uint8Array) => { ok: true; value: T } | { ok: false; reason: string }): Promise<T[]> {
  const consumer = await js.consumers.get(stream, { filter_subjects: subject });
  const info = await consumer.info(true);
  const want = info.num_pending;
  const out: T[] = [];
  while (out.length < want) {
    const batch = await consumer.fetch({ max_messages: Math.min(want - out.length, 1000), expires: 5_000 });
    for await (const m of batch) {
      const d = decode(m.data);
      if (!d.ok) throw new Error(`undecodable message on ${m.subject}: ${d.reason}`);
      out.push(d.value);
    }
  }
  return out;
}

describe('bci-device runners', () => {
  let nats: PrivateNats;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  let dir: string;

  beforeAll(async () => {
    nats = await startNats();
    nc = await connect({ servers: nats.url });
    js = jetstream(nc);
    jsm = await jetstreamManager(nc);
    // The server normally creates these at start-up.
    await jsm.streams.add({ name: 'BCI_EEG', subjects: ['bci.eeg.>'] });
    await jsm.streams.add({ name: 'BCI_MARKERS', subjects: ['bci.markers.>'] });
    await jsm.streams.add({ name: 'BCI_SENSOR', subjects: ['bci.sensor.>'] });
    dir = mkdtempSync(join(tmpdir(), 'bci-devices-'));
  });
  afterAll(async () => {
    await nc?.close();
    await nats?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('replays an EDF+ file: every chunk with the file samples, annotations as markers', async () => {
    const rec = readEdf(readFileSync(EDF_FILE));
    const startUs = Date.parse('2026-11-25T10:00:00Z') * 1000;
    const stats = await replayEdf(js, { id: 'edf-1', file: EDF_FILE, speed: Infinity, chunkMs: 100, startUs });
    const nSamples = rec.signals[0].samples.length;
    const expectedChunks = Math.ceil(nSamples / 16);
    expect(stats).toMatchObject({ chunks: expectedChunks, markers: 30, samples: nSamples, aborted: false });

    const chunks = await readAll<EegChunk>(js, 'BCI_EEG', 'bci.eeg.edf-1', decodeEegFrame);
    expect(chunks).toHaveLength(expectedChunks);
    for (let k = 1; k < chunks.length; k++) expect(chunks[k].seq).toBe(chunks[k - 1].seq + 1);
    const k = 123;
    const c = chunks[k];
    expect(c).toMatchObject({ deviceId: 'edf-1', fsHz: 160, nSamples: 16, t0Us: startUs + k * 100_000, channels: rec.signals.map((s) => s.label) });
    for (let ch = 0; ch < 64; ch++) {
      const want = Float32Array.from(rec.signals[ch].samples.subarray(k * 16, k * 16 + 16));
      expect(c.samples.subarray(ch * 16, ch * 16 + 16)).toEqual(want);
    }

    const markers = await readAll<Marker>(js, 'BCI_MARKERS', 'bci.markers.edf-1', decodeMarker);
    expect(markers).toHaveLength(30);
    const code = { T0: 'cue_rest', T1: 'cue_left', T2: 'cue_right' } as Record<string, string>;
    expect(markers).toEqual(
      rec.annotations.map((a) => ({ deviceId: 'edf-1', timeUs: startUs + Math.round(a.onsetS * 1e6), code: code[a.text], label: a.text, durationS: a.durationS })),
    );
  });

  it('replays NAB-style and SKAB-style CSV files as readings', async () => {
    const nab = join(dir, 'nab.csv');
    writeFileSync(nab, 'timestamp,value\n2015-02-26 21:42:53,35\n2015-02-26 21:47:53,41\n2015-02-26 21:52:53,38.5\n');
    const skab = join(dir, 'skab.csv');
    writeFileSync(skab, 'datetime;Current;Volume Flow RateRMS;anomaly\n2020-03-09 10:14:33;1.33;32.0;0.0\n2020-03-09 10:14:34;1.29;31.0;1.0\n');

    expect(await replayCsv(js, { id: 'nab-1', file: nab, speed: Infinity })).toMatchObject({ readings: 3 });
    const a = await readAll<SensorReading>(js, 'BCI_SENSOR', 'bci.sensor.nab-1', decodeSensorReading);
    expect(a).toEqual([
      { deviceId: 'nab-1', time: '2015-02-26T21:42:53.000Z', metrics: { value: 35 } },
      { deviceId: 'nab-1', time: '2015-02-26T21:47:53.000Z', metrics: { value: 41 } },
      { deviceId: 'nab-1', time: '2015-02-26T21:52:53.000Z', metrics: { value: 38.5 } },
    ]);

    await replayCsv(js, { id: 'skab-1', file: skab, speed: Infinity, metrics: ['Current', 'Volume Flow RateRMS'], startMs: Date.parse('2026-11-25T00:00:00Z') });
    const b = await readAll<SensorReading>(js, 'BCI_SENSOR', 'bci.sensor.skab-1', decodeSensorReading);
    expect(b).toEqual([
      { deviceId: 'skab-1', time: '2026-11-25T00:00:00.000Z', metrics: { Current: 1.33, Volume_Flow_RateRMS: 32 } },
      { deviceId: 'skab-1', time: '2026-11-25T00:00:01.000Z', metrics: { Current: 1.29, Volume_Flow_RateRMS: 31 } },
    ]);
  });

  it('publishes the synthetic sensor one reading per device minute with the injected anomaly', async () => {
    const startMs = Date.parse('2026-11-23T06:00:00Z');
    const anomaly = { kind: 'spike' as const, metric: 'flow', atMinute: 10, durationMin: 5, magnitude: 50 };
    const stats = await runSyntheticSensor(js, { id: 'pump-1', speed: Infinity, count: 30, startMs, seed: 3, anomalies: [anomaly] });
    expect(stats.readings).toBe(30);
    const got = await readAll<SensorReading>(js, 'BCI_SENSOR', 'bci.sensor.pump-1', decodeSensorReading);
    expect(got).toHaveLength(30);
    expect(got[29].time).toBe('2026-11-23T06:29:00.000Z');
    const clean = new SyntheticSensor({ startMs, seed: 3 });
    got.forEach((r, i) => {
      const base = clean.next().metrics;
      expect(r.metrics.flow - base.flow).toBeCloseTo(i >= 10 && i < 15 ? 50 : 0, 6);
      expect(r.metrics.pressure).toBeCloseTo(base.pressure, 9);
    });
  });

  it('runs a synthetic headset with a paradigm until its duration and stops on abort', async () => {
    const stats = await runSyntheticEeg(js, { id: 'syn-1', channels: 8, paradigm: true, durationS: 20, speed: Infinity, seed: 2 });
    expect(stats).toMatchObject({ chunks: 200, samples: 3200 });
    const markers = await readAll<Marker>(js, 'BCI_MARKERS', 'bci.markers.syn-1', decodeMarker);
    expect(markers[0].code).toBe('session_start');
    expect(markers.at(-1)!.code).toBe('session_end');
    expect(markers.filter((m) => m.code === 'cue_left' || m.code === 'cue_right').length).toBeGreaterThanOrEqual(2);

    const ac = new AbortController();
    const running = runSyntheticEeg(js, { id: 'syn-2', channels: 8 }, ac.signal);
    setTimeout(() => ac.abort(), 500);
    const s2 = await running;
    expect(s2.aborted).toBe(true);
    expect(s2.chunks).toBeGreaterThanOrEqual(3);
    expect(s2.chunks).toBeLessThanOrEqual(6);
  });

  it('waits with one clear line until the server has created the streams, then publishes', async () => {
    const bare = await startNats();
    const nc2 = await connect({ servers: bare.url });
    try {
      const lines: string[] = [];
      const running = runSyntheticSensor(jetstream(nc2), { id: 'late-1', speed: Infinity, count: 3, startMs: Date.parse('2026-11-25T00:00:00Z') }, undefined, { log: (l) => lines.push(l), statusEveryMs: 0 });
      await new Promise((r) => setTimeout(r, 1_500));
      expect(lines).toEqual(['waiting for the BCI server to create the JetStream streams…']);
      await (await jetstreamManager(nc2)).streams.add({ name: 'BCI_SENSOR', subjects: ['bci.sensor.>'] });
      expect((await running).readings).toBe(3);
      expect(lines).toContain('JetStream streams found; publishing');
      expect((await (await jetstreamManager(nc2)).streams.info('BCI_SENSOR')).state.messages).toBe(3);
    } finally {
      await nc2.close();
      await bare.stop();
    }
  });
});
