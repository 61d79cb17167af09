// Replays an EDF/EDF+ recording as a live headset: fixed-size chunks paced by the recording's
// own clock (times speed), annotations published as markers when their onset is reached.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { JetStreamClient } from '@nats-io/jetstream';
import { DevicePublisher, subjects } from '@bci/shared';
import { readEdf, type EdfRecording } from '@bci/streams/edf';
import { annotationToMarker, defaultAnnotationMap, type AnnotationMap } from './annotations';
import { edfChunk, planEdfChunks } from './edf-chunks';
import { emptyStats, Pacer, rate, seqStartFor, StatusLine, waitForStreams, type RunHooks, type RunStats } from './runtime';

export interface ReplayEdfOptions {
  id: string;
  /** Path of the .edf file (or pass `recording`). */
  file?: string;
  recording?: EdfRecording;
  /** Wall-clock speed-up (default 1; Infinity = as fast as possible). */
  speed?: number;
  chunkMs?: number;
  /** Start again at the end, device time continuing (until aborted). */
  loop?: boolean;
  /** Device time of the first sample (default: now). */
  startUs?: number;
  /** Annotation text → marker code (default: from the EEGMMIDB run number in the file name). */
  map?: AnnotationMap;
  encoding?: 'binary' | 'json';
  /** First seq (default: derived from the start time so restarts keep increasing). */
  seqStart?: number;
}

export async function replayEdf(js: JetStreamClient, o: ReplayEdfOptions, signal?: AbortSignal, hooks: RunHooks = {}): Promise<RunStats> {
  const rec = o.recording ?? (o.file ? readEdf(readFileSync(o.file)) : undefined);
  if (!rec) throw new Error('replayEdf needs a file or a recording');
  const plan = planEdfChunks(rec, o.chunkMs ?? 100);
  const map = o.map ?? defaultAnnotationMap(o.file ? basename(o.file) : '');
  const annotations = [...rec.annotations].sort((a, b) => a.onsetS - b.onsetS);
  const durationUs = (plan.totalSamples * 1e6) / plan.fsHz;
  const stats = emptyStats();
  const pub = new DevicePublisher(js, { eegEncoding: o.encoding ?? 'binary' });
  if ((hooks.waitForStreams ?? true) && !(await waitForStreams(js, [subjects.eeg(o.id), subjects.markers(o.id)], hooks, signal))) return { ...stats, aborted: true };

  const startUs = o.startUs ?? Date.now() * 1000;
  const seq0 = o.seqStart ?? seqStartFor(startUs, (plan.chunkSamples * 1e6) / plan.fsHz);
  const pacer = new Pacer(o.speed ?? 1);
  let pass = 0;
  const status = new StatusLine(hooks, (t) => `[${o.id}] replay ${o.file ? basename(o.file) : 'EDF'}${o.loop ? ` pass ${pass + 1}` : ''}: ${stats.chunks}/${plan.nChunks * (pass + 1)} chunks (${rate(stats.chunks, t)}/s), ${stats.markers} markers`);
  const started = Date.now();
  try {
    for (;;) {
      const passUs = startUs + Math.round(pass * durationUs);
      const passMs = (pass * durationUs) / 1000;
      let nextAnnotation = 0;
      for (let k = 0; k < plan.nChunks && !signal?.aborted; k++) {
        const chunk = edfChunk(rec, plan, k, o.id, seq0 + stats.chunks, passUs);
        const endS = (k * plan.chunkSamples + chunk.nSamples) / plan.fsHz;
        await pacer.until(passMs + endS * 1000, signal);
        if (signal?.aborted) break;
        // Annotations whose onset lies in this chunk (or anywhere before the end, for the last one).
        const last = k === plan.nChunks - 1;
        while (nextAnnotation < annotations.length && (last || annotations[nextAnnotation].onsetS < endS)) {
          await pub.publishMarker(annotationToMarker(annotations[nextAnnotation++], o.id, passUs, map));
          stats.markers++;
        }
        await pub.publishEeg(chunk);
        stats.chunks++;
        stats.samples += chunk.nSamples;
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
