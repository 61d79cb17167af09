// Worker thread: calibration epochs (the live processor's causal filter) → trainClassifier →
// artefact. CPU-heavy work stays off the event loop that serves ingest and sockets.
import { parentPort, workerData } from 'node:worker_threads';
import { trainClassifier, type PipelineName } from '@bci/streams/classify';
import { epochSession, type CueMarker, type StreamChunk } from '@bci/streams/pipeline';
import type { ModelMetrics } from '@bci/shared';

export interface TrainingJob {
  pipeline: PipelineName;
  fsHz: number;
  channels: string[];
  chunks: StreamChunk[];
  markers: CueMarker[];
  filter: { notchHz: number | null; lowHz: number; highHz: number; order: number };
  tminS: number;
  tmaxS: number;
  cvFolds: number;
}

export type WorkerMessage =
  | { type: 'epoched'; n: number; classCounts: Record<string, number>; skipped: number }
  | { type: 'done'; artifact: unknown; metrics: ModelMetrics | null }
  | { type: 'failed'; error: string };

function run(job: TrainingJob): void {
  const post = (m: WorkerMessage) => parentPort!.postMessage(m);
  try {
    const s = epochSession(job.chunks, job.markers, { ...job.filter, fsHz: job.fsHz, nChannels: job.channels.length, tminS: job.tminS, tmaxS: job.tmaxS });
    const classCounts: Record<string, number> = {};
    for (const l of s.labels) classCounts[l] = (classCounts[l] ?? 0) + 1;
    post({ type: 'epoched', n: s.epochs.length, classCounts, skipped: s.skipped });
    if (Object.keys(classCounts).length < 2) throw new Error(`need cue_left and cue_right trials in the session, found ${JSON.stringify(classCounts)}`);
    const folds = Math.min(job.cvFolds, ...Object.values(classCounts));
    const clf = trainClassifier(job.pipeline, s.epochs, s.labels, {
      meta: { channels: job.channels, fsHz: job.fsHz, bands: [[job.filter.lowHz, job.filter.highHz]], window: { tminS: job.tminS, tmaxS: job.tmaxS } },
      cvFolds: folds >= 2 ? folds : 0,
    });
    const artifact = clf.toArtifact();
    post({ type: 'done', artifact, metrics: artifact.metrics ?? null });
  } catch (err) {
    post({ type: 'failed', error: (err as Error).message });
  }
}

if (parentPort) run(workerData as TrainingJob);
