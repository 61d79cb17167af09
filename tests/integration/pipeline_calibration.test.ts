// The live EEG pipeline end to end: a replayed headset (PhysioNet S001, runs 4 and 8) is
// recorded in a calibration session, a CSP+LDA model is trained through REST in a worker and
// activated; run 12 then streams through the server, and the predictions a socket.io client
// receives must be exactly what the pure EegStreamProcessor computes offline with the same
// artefact on the same samples — window by window and trial by trial. A second model activated
// mid-stream must neither lose nor repeat a window.
import * as http from 'node:http';
import { Client } from 'pg';
import type { Socket } from 'socket.io-client';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { rooms } from '@bci/shared';
import { classifierFromArtifact, trainClassifier, type MiArtifact } from '@bci/streams/classify';
import { EEG_BANDS } from '@bci/streams/features';
import { EegStreamProcessor, epochSession, MarkerAligner, type Prediction, type StreamChunk, type TrialResult } from '@bci/streams/pipeline';
import { defaultAnnotationMap, replayEdf, annotationToMarker } from '@bci/devices';
import { authedSocket, bearer, loginAdmin } from '../support/auth';
import { startNats, type PrivateNats } from '../support/nats-server';
import { createTestDatabase, type TestDatabase } from '../support/pg';
import { startServer, type ServerProcess } from '../support/server-process';
import { waitFor } from '../support/wait';
import { planRuns, type Run } from '../support/edf-runs';

const DEVICE = 'mi-s001';
const FS = 160;
const T0 = Date.parse('2026-11-25T09:00:00Z') * 1000;

type LivePrediction = Prediction & { deviceId: string; receivedAtUs: number; emittedAtUs: number };
type TrainingEvent = { status: string; modelId?: string; n?: number; error?: string; version?: number };
type AccuracyEvent = { correct: number; total: number; accuracy: number | null; trial: TrialResult };



/** A whole run as one chunk, float32 like the wire (the processor is chunk-size invariant). */
function asChunk(r: Run): StreamChunk {
  const samples = new Float32Array(r.rec.signals.length * r.nSamples);
  r.rec.signals.forEach((s, c) => samples.set(s.samples.subarray(0, r.nSamples), c * r.nSamples));
  return { t0Us: r.startUs, nSamples: r.nSamples, samples };
}

function cues(r: Run) {
  const map = defaultAnnotationMap(r.name);
  return r.rec.annotations.map((a) => annotationToMarker(a, DEVICE, r.startUs, map)).filter((m) => m.code === 'cue_left' || m.code === 'cue_right');
}

/** One request per connection (agent: false): a reused keep-alive socket can be closed by the server mid-request after a long pause. */
let token = '';

function api<T>(server: ServerProcess, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers = { ...bearer(token), ...(payload ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } : {}) };
  return new Promise((resolve, reject) => {
    const req = http.request(server.url + path, { method, agent: false, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : undefined) as T }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

describe('live EEG pipeline: calibration, training, live predictions', () => {
  let nats: PrivateNats;
  let db: TestDatabase;
  let server: ServerProcess;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let pg: Client;
  let socket: Socket;
  const predictions: LivePrediction[] = [];
  const training: TrainingEvent[] = [];
  const accuracy: AccuracyEvent[] = [];
  const [r4, r8, r12, r12again] = planRuns(['S001R04.edf', 'S001R08.edf', 'S001R12.edf', 'S001R12.edf'], T0);
  let sessionId = '';
  let artifact: MiArtifact;
  let modelId = '';

  beforeAll(async () => {
    nats = await startNats();
    db = await createTestDatabase();
    server = await startServer({ DATABASE_URL: db.url, NATS_URL: nats.url });
    nc = await connect({ servers: nats.url });
    js = jetstream(nc);
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    token = (await loginAdmin(server.url)).accessToken;
    socket = authedSocket(server.url, token);
    socket.on('prediction', (p: LivePrediction) => predictions.push(p));
    socket.on('training', (e: TrainingEvent) => training.push(e));
    socket.on('live-accuracy', (e: AccuracyEvent) => accuracy.push(e));
    await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
    expect((await socket.emitWithAck('subscribe', { rooms: [rooms.device(DEVICE)] })).ok).toBe(true);
  });
  afterAll(async () => {
    if (process.env.DEBUG_PIPELINE) console.log(server?.logs().slice(-6000));
    socket?.close();
    await pg?.end();
    await nc?.close();
    await server?.kill();
    await nats?.stop();
    await db?.drop();
  });

  const storedChunks = async () => Number((await pg.query('SELECT count(*) FROM eeg_chunks WHERE device_id = $1', [DEVICE])).rows[0].count);

  it('records runs 4 and 8 in a session, trains csp-lda in a worker and activates it', async () => {
    const created = await api<{ id: string; startedAtUs: number | null }>(server, 'POST', '/api/sessions', { deviceId: DEVICE, subject: 'S001' });
    expect(created.status).toBe(201);
    expect(created.body.startedAtUs).toBeNull();
    sessionId = created.body.id;
    // No EEG from this device yet: the start time must be given.
    expect((await api(server, 'POST', `/api/sessions/${sessionId}/start`, {})).status).toBe(409);
    expect((await api(server, 'POST', `/api/sessions/${sessionId}/start`, { startUs: r4.startUs })).body).toMatchObject({ startedAtUs: r4.startUs });

    for (const r of [r4, r8]) await replayEdf(js, { id: DEVICE, recording: r.rec, map: defaultAnnotationMap(r.name), speed: Infinity, startUs: r.startUs, seqStart: r.seqStart });
    await waitFor(async () => (await storedChunks()) === r4.nChunks + r8.nChunks, 60_000, 'runs 4 and 8 stored');
    // Stop without a time: just after the newest sample the server has.
    const stopped = await api<{ stoppedAtUs: number }>(server, 'POST', `/api/sessions/${sessionId}/stop`, {});
    expect(stopped.body.stoppedAtUs).toBe(r12.startUs);

    const session = await api<{ cues: Record<string, number>; markers: unknown[] }>(server, 'GET', `/api/sessions/${sessionId}`);
    const calibrationCues = [...cues(r4), ...cues(r8)];
    expect(session.body.cues.cue_left + session.body.cues.cue_right).toBe(calibrationCues.length);
    expect((await api<unknown[]>(server, 'GET', `/api/sessions?deviceId=${DEVICE}`)).body).toHaveLength(1);

    expect((await api(server, 'POST', `/api/sessions/${sessionId}/train`, { pipeline: 'svm' })).status).toBe(400);
    expect((await api(server, 'POST', `/api/sessions/${sessionId}/train`, { pipeline: 'csp-lda' })).status).toBe(202);
    const done = await waitFor(() => training.find((e) => e.status === 'done' || e.status === 'failed'), 120_000, 'training done');
    expect(done.error).toBeUndefined();
    expect(training.map((e) => e.status)).toEqual(['started', 'epoched', 'done']);
    expect(training[1].n).toBe(calibrationCues.length);
    modelId = done.modelId!;

    const model = await api<{ artifact: MiArtifact; version: number; active: boolean; pipeline: string; metrics: { cvAccuracy: number } }>(server, 'GET', `/api/models/${modelId}`);
    expect(model.body).toMatchObject({ version: 1, active: false, pipeline: 'csp-lda' });
    artifact = model.body.artifact;
    expect(artifact.metrics?.cvFolds).toBe(5);
    // The worker trained on exactly the epochs the pure code cuts from the same causal filter.
    const offline = epochSession([asChunk(r4), asChunk(r8)], calibrationCues, { fsHz: FS, nChannels: r4.rec.signals.length });
    const reference = trainClassifier('csp-lda', offline.epochs, offline.labels, { meta: artifact.meta, cvFolds: 5 }).toArtifact();
    expect(artifact.training).toEqual(reference.training);
    expect(artifact.state).toEqual(reference.state);

    const activated = await api<{ active: boolean }>(server, 'POST', `/api/models/${modelId}/activate`);
    expect(activated.body.active).toBe(true);
    // The activation is in the audit log, with who did it.
    const audit = await api<{ actor: string; target: string; details: Record<string, unknown> }[]>(server, 'GET', '/api/audit?action=model.activate');
    expect(audit.body[0]).toMatchObject({ actor: 'admin', target: modelId, details: { deviceId: DEVICE } });
    expect((await api<{ active: boolean }[]>(server, 'GET', `/api/models?deviceId=${DEVICE}`)).body.map((m) => m.active)).toEqual([true]);
  });

  it('streams run 12 and predicts exactly what the pure processor predicts offline, window by window and trial by trial', async () => {
    expect(modelId).not.toBe('');
    // Offline reference: the same samples through the same processor, the model from the same artefact.
    const processor = new EegStreamProcessor({ channels: r4.rec.signals.map((s) => s.label), fsHz: FS });
    processor.push(asChunk(r4));
    processor.push(asChunk(r8));
    processor.setModel({ id: modelId, version: 1, classifier: classifierFromArtifact(artifact) });
    const expected = processor.push(asChunk(r12)).predictions;
    const aligner = new MarkerAligner();
    const trials: TrialResult[] = [];
    for (const m of cues(r12)) trials.push(...aligner.addMarker(m));
    for (const p of expected) trials.push(...aligner.addPrediction(p));
    const scored = trials.filter((t) => t.decided !== null);
    expect(expected.length).toBeGreaterThan(450);

    await replayEdf(js, { id: DEVICE, recording: r12.rec, map: defaultAnnotationMap(r12.name), speed: Infinity, startUs: r12.startUs, seqStart: r12.seqStart });
    await waitFor(() => predictions.length >= expected.length, 60_000, `${expected.length} predictions`);
    await new Promise((r) => setTimeout(r, 500)); // nothing more may come
    expect(predictions).toHaveLength(expected.length);
    predictions.forEach((got, k) => {
      const want = expected[k];
      expect({ k, windowIndex: got.windowIndex, end: got.windowEndSample, endUs: got.windowEndUs, label: got.label, model: got.modelId }).toEqual({
        k,
        windowIndex: want.windowIndex,
        end: want.windowEndSample,
        endUs: want.windowEndUs,
        label: want.label,
        model: want.modelId,
      });
      got.probabilities.forEach((p, i) => expect(Math.abs(p - want.probabilities[i])).toBeLessThan(1e-9));
    });
    // The first window classified is the first to close after activation: it straddles runs 8 and 12.
    expect(predictions[0].windowEndSample).toBeGreaterThanOrEqual(r4.nSamples + r8.nSamples);
    expect(predictions[0].windowEndSample - predictions[0].windowStartSample).toBe(319);

    await waitFor(() => accuracy.length >= scored.length, 10_000, 'live accuracy of every trial');
    expect(accuracy.map((a) => ({ cueUs: a.trial.cueUs, decided: a.trial.decided, correct: a.trial.correct }))).toEqual(
      scored.map((t) => ({ cueUs: t.cueUs, decided: t.decided, correct: t.correct })),
    );
    expect(accuracy.at(-1)).toMatchObject({ correct: aligner.summary.correct, total: aligner.summary.total });

    // Stored for gap filling: the same windows.
    const stored = await waitFor(async () => {
      const s = await api<{ windowEndUs: number; label: string; probabilities: number[] }[]>(server, 'GET', `/api/devices/${DEVICE}/predictions?from=${r12.startUs}&to=${r12again.startUs + 10_000_000}`);
      return s.body.length === expected.length ? s.body : undefined;
    }, 10_000, 'stored predictions');
    expect(stored.map((s) => [s.windowEndUs, s.label])).toEqual(expected.map((p) => [p.windowEndUs, p.label]));
    expect(stored[0].probabilities).toEqual(predictions[0].probabilities);
    const bp = await pg.query('SELECT count(*)::int AS n FROM band_powers WHERE device_id = $1', [DEVICE]);
    expect(bp.rows[0].n).toBeGreaterThan(300);
    // A stored band-power row and quality row are whole: 64 channels, each channel's relative
    // powers a distribution over the five bands, and `bad` counting the channels not judged good.
    const row = (await pg.query('SELECT bands, channels, relative FROM band_powers WHERE device_id = $1 LIMIT 1', [DEVICE])).rows[0];
    expect(row.bands).toEqual(EEG_BANDS.map((b) => b.name));
    expect(row.channels).toEqual(r12.rec.signals.map((s) => s.label));
    expect(row.relative).toHaveLength(64);
    for (const ch of row.relative as number[][]) expect(ch.reduce((a, x) => a + x, 0)).toBeCloseTo(1, 6);
    const quality = (await pg.query('SELECT channels, bad FROM signal_quality WHERE device_id = $1 LIMIT 1', [DEVICE])).rows[0];
    expect(quality.channels).toHaveLength(64);
    expect(quality.bad).toBe((quality.channels as { verdict: string }[]).filter((c) => c.verdict !== 'good').length);
  });

  it('swaps to a new model mid-stream without losing or repeating a window', async () => {
    expect(modelId).not.toBe('');
    training.length = 0;
    expect((await api(server, 'POST', `/api/sessions/${sessionId}/train`, { pipeline: 'csp-lda' })).status).toBe(202);
    const done = await waitFor(() => training.find((e) => e.status === 'done' || e.status === 'failed'), 120_000, 'second training');
    expect(done).toMatchObject({ status: 'done', version: 2 });
    const before = predictions.length;
    const abort = new AbortController();
    const replay = replayEdf(js, { id: DEVICE, recording: r12again.rec, map: defaultAnnotationMap(r12again.name), speed: 8, startUs: r12again.startUs, seqStart: r12again.seqStart }, abort.signal);
    try {
      await waitFor(() => predictions.length - before >= 40, 60_000, 'predictions of model 1');
      expect((await api(server, 'POST', `/api/models/${done.modelId}/activate`)).status).toBe(200);
      await waitFor(() => predictions.filter((p) => p.modelId === done.modelId).length >= 40, 60_000, 'predictions of model 2');
    } finally {
      abort.abort();
      await replay;
    }
    await new Promise((r) => setTimeout(r, 500));
    const window = predictions.slice(before);
    const idx = window.map((p) => p.windowIndex);
    expect(idx).toEqual(Array.from({ length: idx.length }, (_, i) => idx[0] + i));
    // Continuous with run 12's windows (one device clock), and exactly one switch of model.
    expect(idx[0]).toBe(predictions[before - 1].windowIndex + 1);
    const switches = window.filter((p, i) => i > 0 && p.modelId !== window[i - 1].modelId);
    expect(switches).toHaveLength(1);
    expect(window[0].modelId).toBe(modelId);
    expect(window.at(-1)!.modelVersion).toBe(2);
    const models = (await api<{ id: string; active: boolean }[]>(server, 'GET', `/api/models?deviceId=${DEVICE}`)).body;
    expect(models.filter((m) => m.active).map((m) => m.id)).toEqual([done.modelId]);
  });
});
