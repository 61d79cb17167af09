import { MARKER_CODES, type Marker, type MarkerCode } from '../messages';
import { accept, refuse, type Decoded } from '../faults';
import { isValidDeviceId } from '../subjects';
import { MAX_LABEL_BYTES } from './limits';
import { parseJsonObject } from './json-object';

export function encodeMarker(marker: Marker): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(marker));
}

export function decodeMarker(bytes: Uint8Array): Decoded<Marker> {
  const parsed = parseJsonObject(bytes, 'marker');
  if (!parsed.ok) return parsed;
  const o = parsed.value;
  if (!isValidDeviceId(o.deviceId)) return refuse('schema', `deviceId ${JSON.stringify(o.deviceId)} must be 1-64 letters, digits, '-' or '_'`);
  if (typeof o.timeUs !== 'number') return refuse('schema', `timeUs ${JSON.stringify(o.timeUs)} must be microseconds since the epoch`);
  if (!Number.isFinite(o.timeUs) || o.timeUs < 0) return refuse('non_finite', `timeUs is ${o.timeUs}`);
  if (typeof o.code !== 'string' || !(MARKER_CODES as readonly string[]).includes(o.code))
    return refuse('schema', `code ${JSON.stringify(o.code)} must be one of ${MARKER_CODES.join(', ')}`);
  const label = o.label ?? '';
  if (typeof label !== 'string' || label.length > MAX_LABEL_BYTES) return refuse('schema', `label must be a string of at most ${MAX_LABEL_BYTES} characters`);
  const marker: Marker = { deviceId: o.deviceId, timeUs: Math.round(o.timeUs), code: o.code as MarkerCode, label };
  if (o.durationS !== undefined) {
    if (typeof o.durationS !== 'number' || !Number.isFinite(o.durationS) || o.durationS < 0)
      return refuse('schema', `durationS ${JSON.stringify(o.durationS)} must be a non-negative number of seconds`);
    marker.durationS = o.durationS;
  }
  return accept(marker);
}
