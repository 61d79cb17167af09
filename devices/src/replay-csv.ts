// Replays a CSV time series (NAB, SKAB, …) as sensor readings, paced by the gaps between its
// own timestamps divided by speed.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { JetStreamClient } from '@nats-io/jetstream';
import { DevicePublisher, subjects } from '@bci/shared';
import { csvToSeries, parseCsv, type CsvSeries } from './csv';
import { emptyStats, Pacer, rate, StatusLine, waitForStreams, type RunHooks, type RunStats } from './runtime';

export interface ReplayCsvOptions {
  id: string;
  /** Path of the CSV file (or pass `text`). */
  file?: string;
  text?: string;
  timeCol?: string;
  metrics?: readonly string[];
  delimiter?: string;
  /** Wall-clock speed-up (default 1; Infinity = as fast as possible). */
  speed?: number;
  /** Shift device time so the first row is at this time (ms since the epoch); default: the file's times. */
  startMs?: number;
  /** Start again at the end, shifted by the series span plus one step (until aborted). */
  loop?: boolean;
}

/** Reads and converts the CSV; exported so the CLI can report problems before connecting. */
export function loadCsvSeries(o: ReplayCsvOptions): CsvSeries {
  const text = o.text ?? (o.file ? readFileSync(o.file, 'utf8') : undefined);
  if (text === undefined) throw new Error('replayCsv needs a file or text');
  const series = csvToSeries(parseCsv(text, o.delimiter), { timeCol: o.timeCol, metrics: o.metrics });
  if (series.points.length === 0) throw new Error(`no readable rows in the CSV (${series.problems.join('; ') || 'empty'})`);
  return series;
}

export async function replayCsv(js: JetStreamClient, o: ReplayCsvOptions, signal?: AbortSignal, hooks: RunHooks = {}): Promise<RunStats> {
  const series = loadCsvSeries(o);
  const points = series.points;
  const stats = emptyStats();
  const pub = new DevicePublisher(js);
  if ((hooks.waitForStreams ?? true) && !(await waitForStreams(js, [subjects.sensor(o.id)], hooks, signal))) return { ...stats, aborted: true };
  const first = points[0].timeMs;
  const span = points[points.length - 1].timeMs - first + (points.length > 1 ? (points[points.length - 1].timeMs - first) / (points.length - 1) : 60_000);
  const shift = (o.startMs ?? first) - first;
  const pacer = new Pacer(o.speed ?? 1);
  const status = new StatusLine(hooks, (t) => `[${o.id}] replay ${o.file ? basename(o.file) : 'CSV'}: ${stats.readings}/${points.length} readings (${rate(stats.readings, t)}/s), metrics ${series.metricColumns.map((m) => m.metric).join(',')}`);
  const started = Date.now();
  try {
    let pass = 0;
    for (;;) {
      for (const p of points) {
        const offset = pass * span + (p.timeMs - first);
        await pacer.until(offset, signal);
        if (signal?.aborted) break;
        await pub.publishReading({ deviceId: o.id, time: new Date(first + shift + offset).toISOString(), metrics: p.metrics });
        stats.readings++;
      }
      if (!o.loop || signal?.aborted) break;
      pass++;
    }
  } finally {
    status.stop();
  }
  stats.elapsedMs = Date.now() - started;
  stats.aborted = signal?.aborted ?? false;
  return stats;
}
