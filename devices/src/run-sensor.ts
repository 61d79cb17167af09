// A synthetic water-network sensor: one reading per device minute, published every
// intervalS / speed seconds of wall time, with optional injected anomalies.
import type { JetStreamClient } from '@nats-io/jetstream';
import { DevicePublisher, subjects } from '@bci/shared';
import { SyntheticSensor, type AnomalySpec } from '@bci/streams/synth';
import { emptyStats, Pacer, rate, StatusLine, waitForStreams, type RunHooks, type RunStats } from './runtime';

export interface SyntheticSensorRunOptions {
  id: string;
  /** Wall seconds between readings at speed 1 (default 60: real time). */
  intervalS?: number;
  /** Wall-clock speed-up (default 1; Infinity = as fast as possible). */
  speed?: number;
  anomalies?: readonly AnomalySpec[];
  /** Device time of the first reading, ms since the epoch (default: now, floored to the minute). */
  startMs?: number;
  /** Stop after this many readings (default: until aborted). */
  count?: number;
  seed?: number;
}

export async function runSyntheticSensor(js: JetStreamClient, o: SyntheticSensorRunOptions, signal?: AbortSignal, hooks: RunHooks = {}): Promise<RunStats> {
  const stats = emptyStats();
  const pub = new DevicePublisher(js);
  if ((hooks.waitForStreams ?? true) && !(await waitForStreams(js, [subjects.sensor(o.id)], hooks, signal))) return { ...stats, aborted: true };
  const startMs = o.startMs ?? Math.floor(Date.now() / 60_000) * 60_000;
  const sensor = new SyntheticSensor({ startMs, seed: o.seed ?? 1 });
  for (const a of o.anomalies ?? []) sensor.injectAnomaly(a);
  const intervalMs = (o.intervalS ?? 60) * 1000;
  const pacer = new Pacer(o.speed ?? 1);
  const count = o.count ?? Infinity;
  let last = '';
  const status = new StatusLine(hooks, (t) => `[${o.id}] sensor: ${stats.readings} readings (${rate(stats.readings, t)}/s)${last ? `, last ${last}` : ''}`);
  const started = Date.now();
  try {
    while (stats.readings < count && !signal?.aborted) {
      await pacer.until(stats.readings * intervalMs, signal);
      if (signal?.aborted) break;
      const r = sensor.next();
      const active = sensor.activeAnomalies(r.minute);
      await pub.publishReading({ deviceId: o.id, time: new Date(r.timeMs).toISOString(), metrics: r.metrics });
      stats.readings++;
      last = `${new Date(r.timeMs).toISOString()} flow ${r.metrics.flow.toFixed(1)} pressure ${r.metrics.pressure.toFixed(2)}${active.length ? ` [${active.map((a) => `${a.kind} ${a.metric}`).join(', ')}]` : ''}`;
    }
  } finally {
    status.stop();
  }
  stats.elapsedMs = Date.now() - started;
  stats.aborted = signal?.aborted ?? false;
  return stats;
}
