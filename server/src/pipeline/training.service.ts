// Trains a model on a stopped (or running) calibration session: loads the session's EEG and
// cue markers, trains in a worker thread, stores the artefact as the device's next model
// version and reports progress to device:<id> as `training` events. One training at a time:
// the machine has few cores and ingest must keep up.
import { BadRequestException, ConflictException, Inject, Injectable, Logger } from '@nestjs/common';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PipelineName } from '@bci/streams/classify';
import { filterOptions, PIPELINE_CONFIG, type PipelineConfig } from './pipeline.config';
import { PipelineService } from './pipeline.service';
import { SessionsRepository, type SessionRow } from './sessions.repository';
import { ModelsRepository } from './models.repository';
import type { TrainingJob, WorkerMessage } from './training.worker';

export const TRAINABLE: PipelineName[] = ['csp-lda', 'ts-lr', 'mdm', 'fbcsp-lda'];
const CUES = ['cue_left', 'cue_right'];
// The worker is TypeScript when the server runs from source (swc-node), JavaScript when built.
const WORKER_FILE = path.join(__dirname, `training.worker${path.extname(__filename)}`);

@Injectable()
export class TrainingService {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly log = new Logger('Training');

  constructor(
    @Inject(PIPELINE_CONFIG) private readonly config: PipelineConfig,
    private readonly sessions: SessionsRepository,
    private readonly models: ModelsRepository,
    private readonly pipeline: PipelineService,
  ) {}

  /** Checks the request and queues the training; progress and result arrive as events. */
  async start(session: SessionRow, pipelineName: unknown): Promise<{ sessionId: string; deviceId: string; pipeline: PipelineName; fromUs: number; toUs: number }> {
    if (!TRAINABLE.includes(pipelineName as PipelineName)) throw new BadRequestException(`pipeline must be one of ${TRAINABLE.join(', ')}`);
    const pipeline = pipelineName as PipelineName;
    if (session.startedAtUs === null) throw new ConflictException('the session has not been started');
    const toUs = session.stoppedAtUs ?? this.pipeline.latestUs(session.deviceId) ?? (await this.sessions.latestChunkEndUs(session.deviceId));
    if (toUs === null || toUs <= session.startedAtUs) throw new ConflictException('the session holds no data yet');
    const fromUs = session.startedAtUs;
    const job = { sessionId: session.id, deviceId: session.deviceId, pipeline, fromUs, toUs };
    this.queue = this.queue.then(() => this.train(session, pipeline, fromUs, toUs)).catch(() => undefined);
    return job;
  }

  private async train(session: SessionRow, pipeline: PipelineName, fromUs: number, toUs: number): Promise<void> {
    const base = { deviceId: session.deviceId, sessionId: session.id, pipeline };
    this.pipeline.emitTraining({ ...base, status: 'started' });
    const started = Date.now();
    try {
      const device = await this.sessions.device(session.deviceId);
      if (!device) throw new Error(`no EEG device ${session.deviceId}`);
      const chunks = await this.sessions.chunks(session.deviceId, fromUs, toUs);
      const markers = (await this.sessions.markers(session.deviceId, fromUs, toUs)).filter((m) => CUES.includes(m.code));
      const job: TrainingJob = {
        pipeline,
        fsHz: device.fsHz,
        channels: device.channels,
        chunks: chunks.map((c) => ({ t0Us: c.t0Us, nSamples: c.nSamples, samples: c.samples })),
        markers: markers.map((m) => ({ timeUs: m.timeUs, code: m.code })),
        filter: filterOptions(this.config),
        tminS: 0.5,
        tmaxS: 2.5,
        cvFolds: this.config.cvFolds,
      };
      const result = await this.runWorker(job, (m) => this.pipeline.emitTraining({ ...base, status: 'epoched', n: m.n, classCounts: m.classCounts, skipped: m.skipped }));
      const model = await this.models.insert({ deviceId: session.deviceId, subject: session.subject, sessionId: session.id, pipeline, artifact: result.artifact, metrics: result.metrics });
      this.log.log(`trained ${pipeline} v${model.version} for ${session.deviceId} in ${Date.now() - started} ms`);
      this.pipeline.emitTraining({ ...base, status: 'done', modelId: model.id, version: model.version, metrics: result.metrics });
    } catch (err) {
      this.log.warn(`training ${pipeline} on session ${session.id} failed: ${(err as Error).message}`);
      this.pipeline.emitTraining({ ...base, status: 'failed', error: (err as Error).message });
    }
  }

  private runWorker(job: TrainingJob, onEpoched: (m: Extract<WorkerMessage, { type: 'epoched' }>) => void): Promise<Extract<WorkerMessage, { type: 'done' }>> {
    return new Promise((resolve, reject) => {
      const transfer = job.chunks.map((c) => (c.samples as Float32Array).buffer as ArrayBuffer);
      const worker = new Worker(WORKER_FILE, {
        workerData: job,
        transferList: transfer,
        execArgv: WORKER_FILE.endsWith('.ts') ? ['-r', '@swc-node/register'] : [],
      });
      let settled = false;
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'epoched') onEpoched(m);
        else if (m.type === 'done') {
          settled = true;
          resolve(m);
        } else {
          settled = true;
          reject(new Error(m.error));
        }
      });
      worker.on('error', (err) => {
        settled = true;
        reject(err);
      });
      worker.on('exit', (code) => {
        if (!settled) reject(new Error(`training worker exited with code ${code}`));
      });
    });
  }
}
