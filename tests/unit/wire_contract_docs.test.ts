// Keeps the integrator docs (shared/asyncapi.json, shared/README.md) honest: every example is
// decoded by the real decoder, every documented fault is produced by the real code with the
// documented reason, and enums, limits, headers and streams are compared with their sources.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JetStreamClient } from '@nats-io/jetstream';
import {
  checkContinuity,
  CONTENT_TYPE_HEADER,
  decodeIngestMessage,
  DEFAULT_MAX_PAYLOAD_BYTES,
  DEVICE_ID_PATTERN,
  DevicePublisher,
  EEG_FRAME_CONTENT_TYPE,
  encodeEegFrame,
  FAULT_KINDS,
  JSON_CONTENT_TYPE,
  MARKER_CODES,
  MAX_CHANNELS,
  MAX_FS_HZ,
  MAX_LABEL_BYTES,
  MAX_METRICS,
  MAX_SAMPLES_PER_CHUNK,
  METRIC_NAME_PATTERN,
  MSG_ID_HEADER,
  STAGE_NAMES,
  subjects,
  type AlertView,
  type PredictionEvent,
  type DeviceLayout,
  type EegChunk,
  type Marker,
  type SensorReading,
} from '@bci/shared';
import { streamConfigs } from '../../server/src/nats/streams';
import { DLQ_HEADERS } from '../../server/src/ingest/dead-letter.publisher';
import { IngestRateLimit } from '../../server/src/ingest/rate-limit';
import type { RawMessage } from '../../server/src/ingest/ingest-batch';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

const SHARED = join(__dirname, '..', '..', 'shared');
const doc: Json = JSON.parse(readFileSync(join(SHARED, 'asyncapi.json'), 'utf8'));
const readme = readFileSync(join(SHARED, 'README.md'), 'utf8');
const utf8 = (s: string) => new TextEncoder().encode(s);

function resolve(ref: Json): Json {
  if (!ref?.$ref) return ref;
  const path = (ref.$ref as string).replace(/^#\//, '').split('/');
  let node: Json = doc;
  for (const p of path) node = node?.[p];
  if (node === undefined) throw new Error(`dangling $ref ${ref.$ref}`);
  return node;
}

function messagesOf(operation: Json): Json[] {
  const m = operation?.message;
  if (!m) return [];
  return m.oneOf ? m.oneOf.map(resolve) : [resolve(m)];
}

/** `bci.eeg.{deviceId}` -> regex with the parameter patterns. */
function channelRegex(name: string, channel: Json): RegExp {
  const src = name.replace(/\./g, '\\.').replace(/\{(\w+)\}/g, (_m, p: string) => {
    const schema = resolve(channel.parameters[p]).schema;
    if (schema.enum) return `(?:${schema.enum.join('|')})`;
    return `(?:${(schema.pattern as string).replace(/^\^/, '').replace(/\$$/, '')})`;
  });
  return new RegExp(`^${src}$`);
}

const publishChannels = Object.entries<Json>(doc.channels).filter(([, c]) => c.publish);

function chunkFromJson(p: Json): EegChunk {
  return {
    deviceId: p.deviceId,
    seq: p.seq,
    t0Us: p.t0Us,
    fsHz: p.fsHz,
    channels: p.channels,
    unit: p.unit,
    nSamples: p.samples[0].length,
    samples: new Float32Array(p.samples.flat()),
  };
}

/** A JetStream client that records what DevicePublisher would send. */
function recordingPublisher(eegEncoding: 'binary' | 'json') {
  const sent: { subject: string; data: Uint8Array; msgID?: string; contentType?: string }[] = [];
  const js = {
    publish: async (subject: string, data: Uint8Array, opts: Json) => {
      sent.push({ subject, data, msgID: opts.msgID, contentType: opts.headers.get(CONTENT_TYPE_HEADER) });
      return { stream: 'X', seq: 1, duplicate: false };
    },
  } as unknown as JetStreamClient;
  return { sent, publisher: new DevicePublisher(js, { eegEncoding }) };
}

describe('shared/asyncapi.json', () => {
  it('is an AsyncAPI 2.6 document with the ingest, dead-letter, alert and prediction channels', () => {
    expect(doc.asyncapi).toBe('2.6.0');
    expect(Object.keys(doc.channels).sort()).toEqual(
      [
        'bci.alerts.{deviceId}',
        'bci.dlq.{kind}.{deviceId}',
        'bci.eeg.{deviceId}',
        'bci.markers.{deviceId}',
        'bci.predictions.{deviceId}',
        'bci.sensor.{deviceId}',
      ].sort(),
    );
    expect(resolve(doc.components.parameters.deviceId).schema.pattern).toBe(DEVICE_ID_PATTERN.source);
    expect(publishChannels.map(([n]) => n.split('.')[1]).sort()).toEqual(['eeg', 'markers', 'sensor']);
  });

  describe.each(publishChannels)('%s', (name, channel) => {
    const kind = name.split('.')[1];
    const regex = channelRegex(name, channel);
    const messages = messagesOf(channel.publish);

    it('has at least one example per message', () => {
      for (const m of messages) expect((m.examples?.length ?? 0) + (m['x-examples-hex']?.length ?? 0)).toBeGreaterThan(0);
    });

    it('documents content types the decoder accepts', () => {
      const allowed = kind === 'eeg' ? [JSON_CONTENT_TYPE, EEG_FRAME_CONTENT_TYPE] : [JSON_CONTENT_TYPE];
      expect(messages.map((m) => m.contentType).sort()).toEqual(allowed.sort());
    });

    const jsonExamples = messages.flatMap((m) => (m.examples ?? []).map((ex: Json) => [`${m.name}/${ex.name}`, m, ex] as const));
    it.each(jsonExamples)('JSON example %s decodes on its subject', (_label, message, ex) => {
      expect(ex['x-subject']).toMatch(regex);
      const contentType = ex.headers?.[CONTENT_TYPE_HEADER] ?? message.contentType;
      const d = decodeIngestMessage(ex['x-subject'], utf8(JSON.stringify(ex.payload)), contentType);
      if (!d.ok) throw new Error(`${d.fault}: ${d.reason}`);
      expect(d.kind).toBe(kind);
    });

    it.each(jsonExamples)('JSON example %s carries the headers DevicePublisher sets', async (_label, _message, ex) => {
      if (!ex.headers) return;
      const { sent, publisher } = recordingPublisher('json');
      const p = ex.payload;
      if (kind === 'eeg') await publisher.publishEeg(chunkFromJson(p));
      else if (kind === 'markers') await publisher.publishMarker(p as Marker);
      else await publisher.publishReading(p as SensorReading);
      expect(sent[0].subject).toBe(ex['x-subject']);
      expect(sent[0].contentType).toBe(ex.headers[CONTENT_TYPE_HEADER]);
      expect(sent[0].msgID).toBe(ex.headers[MSG_ID_HEADER]);
    });

    const hexExamples = messages.flatMap((m) => (m['x-examples-hex'] ?? []).map((ex: Json) => [`${m.name}/${ex.name}`, m, ex] as const));
    if (hexExamples.length) {
      it.each(hexExamples)(
        'binary example %s decodes, re-encodes byte for byte, matches DevicePublisher and the README',
        async (_label, message, ex) => {
          expect(ex.subject).toMatch(regex);
          const bytes = Uint8Array.from(Buffer.from(ex.hex, 'hex'));
          const d = decodeIngestMessage(ex.subject, bytes, message.contentType);
          if (!d.ok) throw new Error(`${d.fault}: ${d.reason}`);
          const chunk = d.value as EegChunk;
          expect(Buffer.from(encodeEegFrame(chunk)).toString('hex')).toBe(ex.hex);
          const json = messages.find((m) => m.contentType === JSON_CONTENT_TYPE).examples.find((e: Json) => e.name === ex.name);
          expect({ ...chunk, samples: Array.from(chunk.samples) }).toEqual({
            ...chunkFromJson(json.payload),
            samples: json.payload.samples.flat(),
          });
          const { sent, publisher } = recordingPublisher('binary');
          await publisher.publishEeg(chunk);
          expect(sent[0].contentType).toBe(EEG_FRAME_CONTENT_TYPE);
          expect(Buffer.from(sent[0].data).toString('hex')).toBe(ex.hex);
          expect(readme.replace(/\s+/g, '')).toContain(ex.hex);
        },
      );
    }
  });

  it('payload schemas state the limits and enums of the code', () => {
    const s = doc.components.schemas;
    expect(s.EegChunkJson.properties.channels.maxItems).toBe(MAX_CHANNELS);
    expect(s.EegChunkJson.properties.channels.items.maxLength).toBe(MAX_LABEL_BYTES);
    expect(s.EegChunkJson.properties.samples.items.maxItems).toBe(MAX_SAMPLES_PER_CHUNK);
    expect(s.EegChunkJson.properties.fsHz.maximum).toBe(MAX_FS_HZ);
    expect(s.Marker.properties.code.enum).toEqual([...MARKER_CODES]);
    expect(s.Marker.properties.label.maxLength).toBe(MAX_LABEL_BYTES);
    expect(s.SensorReading.properties.metrics.maxProperties).toBe(MAX_METRICS);
    expect(s.SensorReading.properties.metrics.propertyNames.pattern).toBe(METRIC_NAME_PATTERN.source);
    for (const schema of [s.EegChunkJson, s.Marker, s.SensorReading, s.AlertView])
      expect(schema.properties.deviceId.pattern).toBe(DEVICE_ID_PATTERN.source);
  });

  describe('faults', () => {
    const faults: Json[] = doc['x-faults'];

    it('documents exactly FAULT_KINDS, in the DLQ header enum and in the README table', () => {
      expect(faults.map((f) => f.kind)).toEqual([...FAULT_KINDS]);
      expect(doc.components.messages.DeadLetter.headers.properties['Bci-Fault'].enum).toEqual([...FAULT_KINDS]);
      for (const kind of FAULT_KINDS) expect(readme).toContain(`| \`${kind}\``);
      expect(faults.find((f) => f.kind === 'oversize').when).toContain(String(DEFAULT_MAX_PAYLOAD_BYTES));
    });

    it.each(faults.filter((f) => f.example).map((f) => [f.kind, f] as const))(
      '%s: the example is refused with the documented reason',
      (kind, f) => {
        const ex = f.example;
        const d = decodeIngestMessage(ex.subject, utf8(ex.payload), ex.contentType, { maxPayloadBytes: ex.maxPayloadBytes });
        let got: { fault: string; reason: string } | null;
        if (ex.layout) {
          if (!d.ok) throw new Error(`continuity example must decode: ${d.fault}: ${d.reason}`);
          got = checkContinuity(ex.layout as DeviceLayout, d.value as EegChunk, false);
        } else {
          got = d.ok ? null : { fault: d.fault, reason: d.reason };
        }
        expect(got).toEqual({ fault: kind, reason: f.reason });
        expect(readme).toContain(f.reason);
      },
    );

    it('rate_limited: the documented reason is what the rate limit says for its example', () => {
      const f = faults.find((x) => x.kind === 'rate_limited');
      const { maxMsgsPerS, subject } = f['x-rateExample'];
      const limit = new IngestRateLimit(maxMsgsPerS);
      const at = 1_800_000_000_000_000;
      const message = (i: number): RawMessage => ({ subject, data: new Uint8Array(), headers: {}, redelivered: false, stream: 'BCI_SENSOR', streamSeq: i + 1, receivedAtUs: at, publishedAtUs: at });
      const refusals = Array.from({ length: limit.burst + 1 }, (_, i) => limit.check(message(i)));
      expect(refusals.slice(0, limit.burst).every((r) => r === null)).toBe(true);
      expect(refusals.at(-1)?.reason).toBe(f.reason);
      expect(readme).toContain(f.reason);
    });
  });

  it('documents the dead-letter headers the server sets', () => {
    const h = doc.components.messages.DeadLetter.headers;
    expect(h.required.sort()).toEqual(
      [DLQ_HEADERS.fault, DLQ_HEADERS.reason, DLQ_HEADERS.subject, DLQ_HEADERS.stream, DLQ_HEADERS.streamSeq].sort(),
    );
    expect(Object.keys(h.patternProperties)).toEqual([`^${DLQ_HEADERS.originalPrefix}`]);
    const ex = doc.components.messages.DeadLetter.examples[0];
    expect(ex['x-subject']).toMatch(channelRegex('bci.dlq.{kind}.{deviceId}', doc.channels['bci.dlq.{kind}.{deviceId}']));
    const d = decodeIngestMessage(
      ex.headers[DLQ_HEADERS.subject],
      utf8(JSON.stringify(ex.payload)),
      ex.headers[`${DLQ_HEADERS.originalPrefix}${CONTENT_TYPE_HEADER}`],
    );
    expect(d.ok ? null : { fault: d.fault, reason: d.reason }).toEqual({
      fault: ex.headers[DLQ_HEADERS.fault],
      reason: ex.headers[DLQ_HEADERS.reason],
    });
  });

  it('documents the JetStream streams the server creates', () => {
    const NS_PER_DAY = 86_400 * 1e9;
    const actual = streamConfigs().map((c) => ({
      name: c.name,
      subjects: c.subjects,
      maxAgeDays: (c.max_age ?? 0) / NS_PER_DAY,
      ...(c.max_bytes ? { maxBytes: c.max_bytes } : {}),
    }));
    expect(doc['x-streams']).toEqual(actual);
    for (const c of streamConfigs()) {
      expect(c.duplicate_window).toBe(doc['x-stream-defaults'].duplicateWindowS * 1e9);
      expect(readme).toContain(c.name);
    }
  });

  /** A schema whose properties, all required, are exactly these fields. */
  const expectExactly = (schema: Json, fields: Record<string, true>) => {
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(fields).sort());
    expect([...schema.required].sort()).toEqual(Object.keys(fields).sort());
  };

  it('describes every AlertView field, and the example is a complete AlertView', () => {
    // Compile-time exhaustive: tsc fails here when AlertView gains or loses a field.
    const fields: Record<keyof AlertView, true> = {
      id: true,
      deviceId: true,
      metric: true,
      state: true,
      peakStage: true,
      lastStage: true,
      lastValue: true,
      count: true,
      openedAt: true,
      lastAt: true,
      escalationLevel: true,
      acknowledgedAt: true,
      acknowledgedBy: true,
      acknowledgeNote: true,
      clearedAt: true,
      clearedBy: true,
      clearNote: true,
      closedAt: true,
      delivery: true,
    };
    const schema = doc.components.schemas.AlertView;
    expectExactly(schema, fields);
    expect(schema.properties.peakStage.enum).toEqual(Object.keys(STAGE_NAMES).map(Number));
    const example = doc.components.messages.AlertEvent.examples[0].payload;
    expect(Object.keys(example.alert).sort()).toEqual(Object.keys(fields).sort());
    expect(Object.keys(example).sort()).toEqual([...doc.components.schemas.AlertEvent.required].sort());
    for (const f of Object.keys(fields)) expect(readme).toContain(f);
  });

  it('documents the prediction event with exactly the fields of PredictionEvent', () => {
    const fields: Record<keyof PredictionEvent, true> = {
      deviceId: true,
      windowIndex: true,
      windowStartSample: true,
      windowEndSample: true,
      windowEndUs: true,
      label: true,
      classes: true,
      probabilities: true,
      modelId: true,
      modelVersion: true,
      receivedAtUs: true,
      dispatchedAtUs: true,
      emittedAtUs: true,
    };
    expectExactly(doc.components.schemas.PredictionEvent, fields);
    const example = doc.components.messages.Prediction.examples[0];
    expect(Object.keys(example.payload).sort()).toEqual(Object.keys(fields).sort());
    expect(example['x-subject']).toBe(subjects.predictions(example.payload.deviceId));
    expect(example.payload.probabilities.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 9);
  });
});
