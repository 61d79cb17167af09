// Wires decoded EEG and markers to the live processors (one pure EegStreamProcessor per device,
// run in worker threads by ProcessingShards) and a live-accuracy aligner per device, then fans the
// results out: socket.io room device:<id>, NATS bci.predictions.<id>, and the database. Chunks
// arrive as soon as ingest has decoded and checked them, before their database write (a
// prediction does not need the commit; a chunk redelivered after a failed write is skipped by its
// seq). Storage is a coalescing background writer, so a slow database never holds up predictions.
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ownsDevice, rooms, subjects, type Marker } from '@bci/shared';
import { loadModel, MarkerAligner, type ModelSpec, type TrialResult } from '@bci/streams/pipeline';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { MisdirectedDeviceException } from '../config/misdirected-device.exception';
import type { SortedBatch } from '../ingest/ingest-batch';
import { IngestBus } from '../ingest/ingest.bus';
import { LiveGateway } from '../live/live.gateway';
import { NatsService } from '../nats/nats.service';
import { filterOptions, PIPELINE_CONFIG, type PipelineConfig } from './pipeline.config';
import type { LiveAccuracyEvent, PredictionEvent, TrainingEvent } from './pipeline.events';
import { PipelineRepository, type ResultRows } from './pipeline.repository';
import { ModelsRepository, type ModelRow } from './models.repository';
import { ProcessingShards } from './processing-shards';
import type { ShardResult } from './processing.protocol';

/** Rows waiting for the database beyond this are dropped (oldest first) with a warning. */
const MAX_PENDING_ROWS = 200_000;
/**
 * Writes start at most this often: rows that come in meanwhile join the next write. Each write is
 * one statement and a round trip, whatever its size, and at 150 devices writing as soon as the
 * previous write finished meant hundreds of small statements a second. Kept short all the same:
 * rows held much longer outlive the young generation's collections (a few per second under
 * load) and get promoted to the old generation, whose collections are the long pauses.
 */
const WRITE_EVERY_MS = 50;

interface DeviceState {
  aligner: MarkerAligner;
  /** Device time just after the newest processed sample. */
  endUs: number | null;
}

/** Rounded to 4 decimals (relative powers and ratios live in [0, 1]; std in µV needs no more). */
const short = (x: number) => Math.round(x * 1e4) / 1e4;

const specOf = (row: ModelRow & { artifact: unknown }): ModelSpec => ({ id: row.id, version: row.version, pipeline: row.pipeline, artifact: row.artifact });

@Injectable()
export class PipelineService implements OnModuleInit, OnModuleDestroy {
  private readonly devices = new Map<string, DeviceState>();
  private readonly shards: ProcessingShards | null = null;
  private pending: ResultRows = { predictions: [], bandPowers: [], quality: [] };
  private writing: Promise<void> | null = null;
  private readonly log = new Logger('Pipeline');

  constructor(
    @Inject(PIPELINE_CONFIG) private readonly config: PipelineConfig,
    @Inject(APP_CONFIG) private readonly app: AppConfig,
    private readonly repo: PipelineRepository,
    private readonly modelsRepo: ModelsRepository,
    private readonly gateway: LiveGateway,
    private readonly nats: NatsService,
    bus: IngestBus,
  ) {
    if (!this.config.enabled) return;
    this.shards = new ProcessingShards({ windowSec: config.windowSec, stepSec: config.stepSec, ...filterOptions(config) }, config.workers, (r) => this.onResults(r));
    bus.onSorted((batch) => this.onBatch(batch));
  }

  /** Active models of the devices this process owns are loaded before ingest starts (onApplicationBootstrap), so no window misses them. */
  async onModuleInit(): Promise<void> {
    if (!this.shards) return;
    for (const row of await this.modelsRepo.activeModels()) {
      if (!this.owns(row.deviceId)) continue;
      try {
        await this.shards.setModel(row.deviceId, specOf(row));
      } catch (err) {
        this.log.error(`active model ${row.id} of ${row.deviceId} cannot be loaded: ${(err as Error).message}`);
      }
    }
    if (this.shards.modelCount) this.log.log(`loaded ${this.shards.modelCount} active model(s)`);
    if (this.shards.workerCount) this.log.log(`live processors run in ${this.shards.workerCount} worker thread(s)`);
  }

  async onModuleDestroy(): Promise<void> {
    await this.shards?.close();
  }

  /** Whether this process owns the device's live state (its partition; see AppConfig.partitions). */
  owns(deviceId: string): boolean {
    return ownsDevice(this.app.partitions, deviceId);
  }

  /** Device time just after the newest sample processed for a device (null if none since start-up). */
  latestUs(deviceId: string): number | null {
    return this.devices.get(deviceId)?.endUs ?? null;
  }

  /**
   * Makes a stored model the device's live model. The processor swaps between two chunks, so the
   * next window to close is the first the new model classifies. Throws if the model does not
   * fit the device's stream (nothing changes then), and with 421 if another process owns the device.
   */
  async activate(row: ModelRow & { artifact: unknown }): Promise<ModelRow> {
    if (!this.owns(row.deviceId)) throw new MisdirectedDeviceException(this.app.partitions, row.deviceId);
    const spec = specOf(row);
    if (!this.shards) {
      loadModel(spec); // the artefact must at least load
      return this.modelsRepo.activate(row.id, row.deviceId);
    }
    const previous = this.shards.modelOf(row.deviceId);
    await this.shards.setModel(row.deviceId, spec); // validates channels, rate and window against the live stream
    try {
      return await this.modelsRepo.activate(row.id, row.deviceId);
    } catch (err) {
      await this.shards.setModel(row.deviceId, previous).catch(() => undefined);
      throw err;
    }
  }

  emitTraining(e: TrainingEvent): void {
    this.gateway.emit(rooms.device(e.deviceId), 'training', e);
  }

  private state(deviceId: string): DeviceState {
    let s = this.devices.get(deviceId);
    if (!s) this.devices.set(deviceId, (s = { aligner: new MarkerAligner(), endUs: null }));
    return s;
  }

  /**
   * Chunks go to their device's processing shard as soon as ingest has decoded and checked them;
   * markers go straight to the live-accuracy aligner (it aligns by device time, so a marker may
   * arrive before or after the predictions around it).
   */
  private onBatch(batch: SortedBatch): void {
    const dispatchedAtUs = Date.now() * 1000;
    if (batch.eeg.length) this.shards!.dispatch(batch.eeg.map(({ value, receivedAtUs }) => ({ chunk: value, receivedAtUs, dispatchedAtUs })));
    for (const { value } of batch.markers) this.onMarker(value);
  }

  private onMarker(m: Marker): void {
    const s = this.state(m.deviceId);
    this.accuracy(m.deviceId, s.aligner.addMarker(m), s.aligner, this.gateway.hasListeners(rooms.device(m.deviceId)));
  }

  /** Fans processed chunks out: socket.io, NATS, live accuracy and the background writer. */
  private onResults(results: ShardResult[]): void {
    const rows: ResultRows = { predictions: [], bandPowers: [], quality: [] };
    try {
      // Predictions first (what a clinician waits for), then the once-a-second features.
      for (const r of results) this.fanOutPredictions(r, rows);
      for (const r of results) this.fanOutFeatures(r, rows);
    } catch (err) {
      this.log.error(`pipeline fan-out failed: ${(err as Error).stack ?? err}`);
    } finally {
      if (this.config.store) this.enqueue(rows);
    }
  }

  private fanOutPredictions(r: ShardResult, rows: ResultRows): void {
    const { deviceId, output: out, receivedAtUs, dispatchedAtUs } = r;
    const s = this.state(deviceId);
    s.endUs = r.endUs;
    const emittedAtUs = Date.now() * 1000;
    const room = rooms.device(deviceId);
    const listening = this.gateway.hasListeners(room);
    for (const p of out.predictions) {
      const e: PredictionEvent = { deviceId, ...p, receivedAtUs, dispatchedAtUs, emittedAtUs };
      rows.predictions.push(e);
      if (listening) this.gateway.emit(room, 'prediction', e);
      this.publish(e);
      this.accuracy(deviceId, s.aligner.addPrediction(p), s.aligner, listening);
    }
  }

  private fanOutFeatures(r: ShardResult, rows: ResultRows): void {
    const { deviceId, output: out, receivedAtUs } = r;
    if (!out.bandPowers.length && !out.quality.length) return;
    const room = rooms.device(deviceId);
    const listening = this.gateway.hasListeners(room);
    // Display events carry 4 decimals (short numbers encode much faster than 17-digit
    // doubles); the database keeps full precision.
    for (const b of out.bandPowers) {
      const e = { deviceId, ...b };
      rows.bandPowers.push({ ...e, receivedAtUs });
      if (listening) this.gateway.emit(room, 'band-power', { ...e, relative: e.relative.map((x) => x.map(short)) });
    }
    for (const q of out.quality) {
      const e = { deviceId, ...q };
      rows.quality.push({ ...e, receivedAtUs });
      if (listening) {
        const channels = e.channels.map((x) => ({ ...x, std: short(x.std), railedFraction: short(x.railedFraction), lineNoiseRatio: x.lineNoiseRatio === null ? null : short(x.lineNoiseRatio) }));
        this.gateway.emit(room, 'quality', { ...e, channels });
      }
    }
  }

  private accuracy(deviceId: string, trials: TrialResult[], aligner: MarkerAligner, listening: boolean): void {
    if (!listening) return;
    const { correct, total, accuracy } = aligner.summary;
    for (const trial of trials) {
      if (trial.decided === null) continue;
      const e: LiveAccuracyEvent = { deviceId, correct, total, accuracy, trial };
      this.gateway.emit(rooms.device(deviceId), 'live-accuracy', e);
    }
  }

  private publish(e: PredictionEvent): void {
    try {
      this.nats.nc.publish(subjects.predictions(e.deviceId), JSON.stringify(e));
    } catch (err) {
      this.log.warn(`NATS publish of a prediction for ${e.deviceId} failed: ${(err as Error).message}`);
    }
  }

  /** Appends rows for the background writer; while one write runs, the next batches pile up into one. */
  private enqueue(rows: ResultRows): void {
    const p = this.pending;
    p.predictions.push(...rows.predictions);
    p.bandPowers.push(...rows.bandPowers);
    p.quality.push(...rows.quality);
    const n = p.predictions.length + p.bandPowers.length + p.quality.length;
    if (n > MAX_PENDING_ROWS) {
      this.log.warn(`database behind: dropping ${n - MAX_PENDING_ROWS} pending result row(s)`);
      p.predictions.splice(0, Math.max(0, p.predictions.length - MAX_PENDING_ROWS / 2));
      p.bandPowers.splice(0, Math.max(0, p.bandPowers.length - MAX_PENDING_ROWS / 4));
      p.quality.splice(0, Math.max(0, p.quality.length - MAX_PENDING_ROWS / 4));
    }
    if (!this.writing && n > 0) this.writing = this.drainWrites();
  }

  private async drainWrites(): Promise<void> {
    let wait = 200;
    while (this.pending.predictions.length || this.pending.bandPowers.length || this.pending.quality.length) {
      const rows = this.pending;
      this.pending = { predictions: [], bandPowers: [], quality: [] };
      const started = performance.now();
      try {
        await this.repo.write(rows);
        wait = 200;
        const rest = WRITE_EVERY_MS - (performance.now() - started);
        if (rest > 0) await new Promise((r) => setTimeout(r, rest));
      } catch (err) {
        this.log.warn(`storing ${rows.predictions.length} prediction(s) failed (${(err as Error).message}); retrying`);
        // Put them back in front of anything newer and wait before trying again.
        this.pending = {
          predictions: [...rows.predictions, ...this.pending.predictions],
          bandPowers: [...rows.bandPowers, ...this.pending.bandPowers],
          quality: [...rows.quality, ...this.pending.quality],
        };
        await new Promise((r) => setTimeout(r, wait));
        wait = Math.min(wait * 2, 5_000);
      }
    }
    this.writing = null;
  }

  /** For tests: resolves when everything handed over so far is stored. */
  async flushed(): Promise<void> {
    while (this.writing) await this.writing;
  }
}
