import type { SensorReading } from '../messages';
import { accept, refuse, type Decoded } from '../faults';
import { isValidDeviceId } from '../subjects';
import { MAX_METRICS, METRIC_NAME_PATTERN } from './limits';
import { parseJsonObject } from './json-object';

/** ISO-8601 date-time with an explicit zone (Z or ±hh:mm); a zoneless time is ambiguous. */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

export function encodeSensorReading(reading: SensorReading): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(reading));
}

export function decodeSensorReading(bytes: Uint8Array): Decoded<SensorReading> {
  const parsed = parseJsonObject(bytes, 'sensor reading');
  if (!parsed.ok) return parsed;
  const o = parsed.value;
  if (!isValidDeviceId(o.deviceId)) return refuse('schema', `deviceId ${JSON.stringify(o.deviceId)} must be 1-64 letters, digits, '-' or '_'`);
  if (typeof o.time !== 'string' || !ISO_WITH_ZONE.test(o.time) || Number.isNaN(Date.parse(o.time)))
    return refuse('schema', `time ${JSON.stringify(o.time)} must be an ISO-8601 date-time with a zone, e.g. "2026-11-25T10:00:00Z"`);
  if (typeof o.metrics !== 'object' || o.metrics === null || Array.isArray(o.metrics)) return refuse('schema', 'metrics must be an object of metric name to number');
  const entries = Object.entries(o.metrics as Record<string, unknown>);
  if (entries.length === 0 || entries.length > MAX_METRICS) return refuse('schema', `metrics must hold 1..${MAX_METRICS} values, got ${entries.length}`);
  const metrics: Record<string, number> = {};
  for (const [name, value] of entries) {
    if (!METRIC_NAME_PATTERN.test(name)) return refuse('schema', `metric name ${JSON.stringify(name)} must match ${METRIC_NAME_PATTERN}`);
    if (typeof value !== 'number') return refuse('schema', `metric ${name} is ${JSON.stringify(value)}, not a number`);
    if (!Number.isFinite(value)) return refuse('non_finite', `metric ${name} is ${value}`);
    metrics[name] = value;
  }
  return accept({ deviceId: o.deviceId, time: new Date(o.time).toISOString(), metrics });
}
