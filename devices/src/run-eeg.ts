// A synthetic EEG headset publishing in (scaled) real time; with a paradigm it also publishes
// the cue markers and the EEG carries the matching ERD.
import type { JetStreamClient } from '@nats-io/jetstream';
import { DevicePublisher, subjects, type EegChunk, type Marker } from '@bci/shared';
import { CueSchedule, MONTAGE_64, MONTAGE_8, ParadigmEeg, SyntheticEeg, type CueEvent, type MiCue } from '@bci/streams/synth';
import { emptyStats, Pacer, rate, seqStartFor, StatusLine, waitForStreams, type RunHooks, type RunStats } from './runtime';

export interface SyntheticEegRunOptions {
  id: string;
  /** 64 (EEGMMIDB montage, default), 8, or explicit channel names. */
  channels?: 64 | 8 | readonly string[];
  fsHz?: number;
  chunkMs?: number;
  encoding?: 'binary' | 'json';
  /** Run a cue paradigm: publish cue markers and apply ERD. */
  paradigm?: boolean;
  /** Imagery classes of the paradigm (default left, right). */
  classes?: readonly MiCue[];
  seed?: number;
  /** Stop after this much device time (default: until aborted). */
  durationS?: number;
  /** Device time of the first sample (default: now). */
  startUs?: number;
  /** Wall-clock speed-up (default 1 = real time; Infinity = as fast as possible). */
  speed?: number;
  lineNoiseUv?: number;
}

function montage(ch: SyntheticEegRunOptions['channels']): readonly string[] {
  if (ch === undefined || ch === 64) return MONTAGE_64;
  if (ch === 8) return MONTAGE_8;
  if (typeof ch === 'number') throw new RangeError(`channels must be 64, 8 or a list of names, got ${ch}`);
  return ch;
}

export function eventToMarker(ev: CueEvent, deviceId: string, startUs: number, fsHz: number): Marker {
  const m: Marker = { deviceId, timeUs: startUs + Math.round((ev.sample * 1e6) / fsHz), code: ev.code, label: ev.label };
  if (ev.durationS !== undefined) m.durationS = ev.durationS;
  return m;
}

export async function runSyntheticEeg(js: JetStreamClient, o: SyntheticEegRunOptions, signal?: AbortSignal, hooks: RunHooks = {}): Promise<RunStats> {
  const fsHz = o.fsHz ?? 160;
  const chunkSamples = Math.max(1, Math.round((fsHz * (o.chunkMs ?? 100)) / 1000));
  const channels = [...montage(o.channels)];
  const seed = o.seed ?? 1;
  const eeg = new SyntheticEeg({ fsHz, channels, seed, lineNoiseUv: o.lineNoiseUv });
  const session = o.paradigm ? new ParadigmEeg(eeg, new CueSchedule({ fsHz, seed: seed + 1, classes: o.classes })) : null;
  const totalSamples = o.durationS === undefined ? Infinity : Math.round(o.durationS * fsHz);
  const stats = emptyStats();
  const pub = new DevicePublisher(js, { eegEncoding: o.encoding ?? 'binary' });

  if ((hooks.waitForStreams ?? true) && !(await waitForStreams(js, [subjects.eeg(o.id), subjects.markers(o.id)], hooks, signal))) {
    return { ...stats, aborted: true };
  }
  const startUs = o.startUs ?? Date.now() * 1000;
  const seq0 = seqStartFor(startUs, (chunkSamples * 1e6) / fsHz);
  const pacer = new Pacer(o.speed ?? 1);
  const status = new StatusLine(hooks, (t) => `[${o.id}] eeg ${channels.length} ch @ ${fsHz} Hz: ${stats.chunks} chunks (${rate(stats.chunks, t)}/s), ${stats.markers} markers, device time ${(stats.samples / fsHz).toFixed(1)} s${eeg.currentCue ? `, imagining ${eeg.currentCue}` : ''}`);
  const started = Date.now();
  const mark = async (m: Marker) => {
    await pub.publishMarker(m);
    stats.markers++;
  };
  try {
    if (session) await mark({ deviceId: o.id, timeUs: startUs, code: 'session_start', label: `synthetic motor-imagery session (seed ${seed})` });
    while (stats.samples < totalSamples && !signal?.aborted) {
      const n = Math.min(chunkSamples, totalSamples - stats.samples);
      // A chunk is sent once its last sample has been "recorded".
      await pacer.until(((stats.samples + n) * 1000) / fsHz, signal);
      if (signal?.aborted) break;
      let samples: Float32Array;
      if (session) {
        const part = session.next(n);
        samples = part.samples;
        for (const ev of part.events) await mark(eventToMarker(ev, o.id, startUs, fsHz));
      } else samples = eeg.next(n);
      const chunk: EegChunk = { deviceId: o.id, seq: seq0 + stats.chunks, t0Us: startUs + Math.round((stats.samples * 1e6) / fsHz), fsHz, channels, unit: 'uV', nSamples: n, samples };
      await pub.publishEeg(chunk);
      stats.chunks++;
      stats.samples += n;
    }
    if (session) await mark({ deviceId: o.id, timeUs: startUs + Math.round((stats.samples * 1e6) / fsHz), code: 'session_end', label: 'end of synthetic session' });
  } finally {
    status.stop();
  }
  stats.elapsedMs = Date.now() - started;
  stats.aborted = signal?.aborted ?? false;
  return stats;
}
