// One entry point for everything a device publishes: picks the decoder by subject kind and
// Content-Type, applies size and field rules, and checks that the payload's device id is the
// one in the subject (the subject is what NATS permissions protect).
import type { EegChunk, Marker, SensorReading } from '../messages';
import { refuse, type Fault } from '../faults';
import { isValidDeviceId, parseSubject, type IngestKind, INGEST_KINDS } from '../subjects';
import { EEG_FRAME_CONTENT_TYPE, JSON_CONTENT_TYPE } from './content-types';
import { decodeEegFrame } from './eeg-frame';
import { decodeEegJson } from './eeg-json';
import { validateEegChunk } from './validate-eeg';
import { decodeSensorReading } from './sensor-json';
import { decodeMarker } from './marker-json';
import { DEFAULT_MAX_PAYLOAD_BYTES } from './limits';

export type IngestMessage =
  | { kind: 'eeg'; deviceId: string; value: EegChunk }
  | { kind: 'markers'; deviceId: string; value: Marker }
  | { kind: 'sensor'; deviceId: string; value: SensorReading };

export type IngestDecoded = ({ ok: true } & IngestMessage) | ({ ok: false; kind: IngestKind | 'unknown'; deviceId: string } & Fault);

export interface DecodeOptions {
  maxPayloadBytes?: number;
}

export function decodeIngestMessage(
  subject: string,
  payload: Uint8Array,
  contentType: string | undefined,
  options: DecodeOptions = {},
): IngestDecoded {
  const parsed = parseSubject(subject);
  const kind = parsed && (INGEST_KINDS as readonly string[]).includes(parsed.kind) ? (parsed.kind as IngestKind) : 'unknown';
  const deviceId = parsed?.deviceId ?? '';
  const fail = (f: Fault): IngestDecoded => ({ ok: false, kind, deviceId, ...f });
  if (kind === 'unknown' || !isValidDeviceId(deviceId)) return fail({ fault: 'schema', reason: `subject ${subject} is not bci.<eeg|markers|sensor>.<deviceId>` });
  const max = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  if (payload.length > max) return fail({ fault: 'oversize', reason: `payload of ${payload.length} bytes exceeds the limit of ${max}` });

  const type = (contentType ?? JSON_CONTENT_TYPE).split(';')[0].trim().toLowerCase();
  let decoded;
  if (kind === 'eeg') {
    if (type === EEG_FRAME_CONTENT_TYPE) decoded = decodeEegFrame(payload);
    else if (type === JSON_CONTENT_TYPE) decoded = decodeEegJson(payload);
    else return fail({ fault: 'decode', reason: `unsupported Content-Type ${JSON.stringify(contentType)} for EEG (use ${JSON_CONTENT_TYPE} or ${EEG_FRAME_CONTENT_TYPE})` });
    if (decoded.ok) decoded = validateEegChunk(decoded.value);
  } else if (type !== JSON_CONTENT_TYPE) {
    return fail({ fault: 'decode', reason: `unsupported Content-Type ${JSON.stringify(contentType)} for ${kind} (use ${JSON_CONTENT_TYPE})` });
  } else {
    decoded = kind === 'sensor' ? decodeSensorReading(payload) : decodeMarker(payload);
  }
  if (!decoded.ok) return fail(decoded);
  if (decoded.value.deviceId !== deviceId) {
    const r = refuse('device_mismatch', `payload deviceId ${JSON.stringify(decoded.value.deviceId)} differs from subject device ${deviceId}`);
    return fail(r as Fault);
  }
  return { ok: true, kind, deviceId, value: decoded.value } as IngestDecoded;
}
