// Parses `--anomaly` specs: kind[:metric]@atMinute:durationMin[:magnitude], e.g. spike@120:30:5
// (flow +5 for 30 readings from reading 120) or stuck:pressure@600:60.
import { ANOMALY_KINDS, type AnomalyKind, type AnomalySpec } from '@bci/streams/synth';
import { UsageError } from './args';

const PATTERN = /^([a-z]+)(?::([A-Za-z][A-Za-z0-9_]*))?@(\d+):(\d+)(?::(-?\d+(?:\.\d+)?))?$/;

export function parseAnomalySpec(text: string, defaultMetric = 'flow'): AnomalySpec {
  const m = PATTERN.exec(text.trim());
  if (!m) throw new UsageError(`bad --anomaly ${JSON.stringify(text)}: expected kind[:metric]@atMinute:durationMin[:magnitude], e.g. spike@120:30:5`);
  const kind = m[1] as AnomalyKind;
  if (!ANOMALY_KINDS.includes(kind)) throw new UsageError(`bad --anomaly ${JSON.stringify(text)}: kind must be one of ${ANOMALY_KINDS.join(', ')}`);
  const durationMin = Number(m[4]);
  if (durationMin < 1) throw new UsageError(`bad --anomaly ${JSON.stringify(text)}: duration must be at least 1 minute`);
  const magnitude = m[5] === undefined ? 0 : Number(m[5]);
  if (m[5] === undefined && kind !== 'stuck') throw new UsageError(`bad --anomaly ${JSON.stringify(text)}: ${kind} needs a magnitude (…:magnitude)`);
  return { kind, metric: m[2] ?? defaultMetric, atMinute: Number(m[3]), durationMin, magnitude };
}
