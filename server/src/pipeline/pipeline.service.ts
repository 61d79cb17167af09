// Wires committed EEG and markers to one pure EegStreamProcessor (and live-accuracy aligner) per
// device, then fans the results out: socket.io room device:<id>, NATS bci.predictions.<id>, and
// the database. Chunks arrive as soon as ingest has decoded and checked them, before their
// database write (a prediction does not need the commit; a chunk redelivered after a failed write
// is skipped by its seq). Processing runs in short slices; storage is a coalescing background
// writer, so a slow database never holds up predictions.
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { rooms, subjects, type EegChunk, type Marker } from '@bci/shared';
import { classifierFromArtifact } from '@bci/streams/classify';
import type { MiArtifact } from '@bci/streams/classify';
import { EegStreamProcessor, MarkerAligner, type ActiveModel, type TrialResult } from '@bci/streams/pipeline';
import type { SortedBatch } from '../ingest/ingest-batch';
import { IngestBus } from '../ingest/ingest.bus';
import { LiveGateway } from '../live/live.gateway';
import { NatsService } from '../nats/nats.service';
import { filterOptions, PIPELINE_CONFIG, type PipelineConfig } from './pipeline.config';
import type { LiveAccuracyEvent, PredictionEvent, TrainingEvent } from './pipeline.events';
import { PipelineRepository, type ResultRows } from './pipeline.repository';
import { ModelsRepository, type ModelRow } from './models.repository';

/** Longest stretch of processing before yielding to the event loop. */
const SLICE_MS = 5;
/** Rows waiting for the database beyond this are dropped (oldest first) with a warning. */
const MAX_PENDING_ROWS = 200_000;

interface DeviceState {
  processor: EegStreamProcessor | null;
  /** The last chunk's channel array, known to match the processor's channels. */
  checkedChannels: string[] | null;
  aligner: MarkerAligner;
  lastSeq: number;
  /** Device time just after the newest processed sample. */
  endUs: number | null;
}

/** Rounded to 4 decimals (relative powers and ratios live in [0, 1]; std in µV needs no more). */
const short = (x: number) => Math.round(x * 1e4) / 1e4;

/** A stable small number per device id (FNV-1a). */
function phaseOf(deviceId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < deviceId.length; i++) h = Math.imul(h ^ deviceId.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

@Injectable()
export class PipelineService implements OnModuleInit {
  private readonly devices = new Map<string, DeviceState>();
  private readonly models = new Map<string, ActiveModel & { pipeline: string }>();
  private pending: ResultRows = { predictions: [], bandPowers: [], quality: [] };
  private work: ({ chunk: EegChunk; receivedAtUs: number; dispatchedAtUs: number } | { marker: Marker })[] = [];
  private scheduled = false;
  private writing: Promise<void> | null = null;
  private readonly log = new Logger('Pipeline');

  constructor(
    @Inject(PIPELINE_CONFIG) private readonly config: PipelineConfig,
    private readonly repo: PipelineRepository,
    private readonly modelsRepo: ModelsRepository,
    private readonly gateway: LiveGateway,
    private readonly nats: NatsService,
    bus: IngestBus,
  ) {
    if (this.config.enabled) bus.onSorted((batch) => this.onBatch(batch));
  }

  /** Active models are loaded before ingest starts (onApplicationBootstrap), so no window misses them. */
  async onModuleInit(): Promise<void> {
    for (const row of await this.modelsRepo.activeModels()) {
      try {
        this.models.set(row.deviceId, this.load(row));
      } catch (err) {
        this.log.error(`active model ${row.id} of ${row.deviceId} cannot be loaded: ${(err as Error).message}`);
      }
    }
    if (this.models.size) this.log.log(`loaded ${this.models.size} active model(s)`);
  }

  private load(row: ModelRow & { artifact: unknown }): ActiveModel & { pipeline: string } {
    return { id: row.id, version: row.version, pipeline: row.pipeline, classifier: classifierFromArtifact(row.artifact as MiArtifact) };
  }

  /** Device time just after the newest sample processed for a device (null if none since start-up). */
  latestUs(deviceId: string): number | null {
    return this.devices.get(deviceId)?.endUs ?? null;
  }

  /**
   * Makes a stored model the device's live model. The processor swaps synchronously between two
   * chunks, so the next window to close is the first the new model classifies. Throws if the
   * model does not fit the device's stream (nothing changes then).
   */
  async activate(row: ModelRow & { artifact: unknown }): Promise<ModelRow> {
    const model = this.load(row);
    const processor = this.devices.get(row.deviceId)?.processor;
    const previous = processor?.activeModel ?? null;
    processor?.setModel(model); // validates channels, rate and window against the live stream
    try {
      const updated = await this.modelsRepo.activate(row.id, row.deviceId);
      this.models.set(row.deviceId, model);
      return updated;
    } catch (err) {
      processor?.setModel(previous);
      throw err;
    }
  }

  emitTraining(e: TrainingEvent): void {
    this.gateway.emit(rooms.device(e.deviceId), 'training', e);
  }

  private state(deviceId: string): DeviceState {
    let s = this.devices.get(deviceId);
    if (!s) this.devices.set(deviceId, (s = { processor: null, checkedChannels: null, aligner: new MarkerAligner(), lastSeq: -1, endUs: null }));
    return s;
  }

  private processorFor(s: DeviceState, c: EegChunk): EegStreamProcessor {
    if (s.processor && s.processor.fsHz === c.fsHz) {
      // Binary frames of one layout share one channel array: compare names only when it changes.
      if (s.checkedChannels === c.channels) return s.processor;
      if (s.processor.channels.join() === c.channels.join()) {
        s.checkedChannels = c.channels;
        return s.processor;
      }
    }
    s.checkedChannels = c.channels;
    // Each device computes its once-a-second spectra at its own phase, so devices that started
    // together do not all pay for them in the same batch.
    const featurePhaseSamples = phaseOf(c.deviceId) % Math.max(1, Math.round(c.fsHz));
    const p = new EegStreamProcessor({ channels: c.channels, fsHz: c.fsHz, windowSec: this.config.windowSec, stepSec: this.config.stepSec, featurePhaseSamples, ...filterOptions(this.config) });
    const model = this.models.get(c.deviceId);
    if (model) {
      try {
        p.setModel(model);
      } catch (err) {
        this.log.warn(`device ${c.deviceId}: active model ${model.id} does not fit its stream (${(err as Error).message}); running without a model`);
      }
    }
    s.processor = p;
    return p;
  }

  /**
   * Decoded data is queued and processed in slices of at most SLICE_MS, yielding to the event
   * loop in between: socket.io can then flush the predictions of the first devices of a big
   * batch while the rest are computed, and ingest keeps fetching. Work stays in arrival order
   * and model swaps still land between two chunks.
   */
  private onBatch(batch: SortedBatch): void {
    if (!batch.eeg.length && !batch.markers.length) return;
    const dispatchedAtUs = Date.now() * 1000;
    for (const { value, receivedAtUs } of batch.eeg) this.work.push({ chunk: value, receivedAtUs, dispatchedAtUs });
    for (const { value } of batch.markers) this.work.push({ marker: value });
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.drainWork());
  }

  private drainWork(): void {
    this.scheduled = false;
    const until = performance.now() + SLICE_MS;
    const rows: ResultRows = { predictions: [], bandPowers: [], quality: [] };
    let i = 0;
    try {
      while (i < this.work.length && (i === 0 || performance.now() < until)) {
        const w = this.work[i++];
        if ('chunk' in w) this.processChunk(w.chunk, w.receivedAtUs, w.dispatchedAtUs, rows);
        else {
          const s = this.state(w.marker.deviceId);
          this.accuracy(w.marker.deviceId, s.aligner.addMarker(w.marker), s.aligner, this.gateway.hasListeners(rooms.device(w.marker.deviceId)));
        }
      }
    } catch (err) {
      this.log.error(`pipeline processing failed: ${(err as Error).stack ?? err}`);
    } finally {
      this.work.splice(0, i);
      if (this.config.store) this.enqueue(rows);
      if (this.work.length) this.schedule();
    }
  }

  private processChunk(c: EegChunk, receivedAtUs: number, dispatchedAtUs: number, rows: ResultRows): void {
    const s = this.state(c.deviceId);
    // A redelivered chunk (its write failed after it was processed) must not be processed twice.
    if (c.seq <= s.lastSeq) return;
    s.lastSeq = c.seq;
    const out = this.processorFor(s, c).push(c);
    const emittedAtUs = Date.now() * 1000;
    s.endUs = c.t0Us + Math.round((c.nSamples * 1e6) / c.fsHz);
    const room = rooms.device(c.deviceId);
    const listening = this.gateway.hasListeners(room);
    for (const p of out.predictions) {
      const e: PredictionEvent = { deviceId: c.deviceId, ...p, receivedAtUs, dispatchedAtUs, emittedAtUs };
      rows.predictions.push(e);
      if (listening) this.gateway.emit(room, 'prediction', e);
      this.publish(e);
      this.accuracy(c.deviceId, s.aligner.addPrediction(p), s.aligner, listening);
    }
    // Display events carry 4 decimals (short numbers encode much faster than 17-digit
    // doubles); the database keeps full precision.
    for (const b of out.bandPowers) {
      const e = { deviceId: c.deviceId, ...b };
      rows.bandPowers.push({ ...e, receivedAtUs });
      if (listening) this.gateway.emit(room, 'band-power', { ...e, relative: e.relative.map((r) => r.map(short)) });
    }
    for (const q of out.quality) {
      const e = { deviceId: c.deviceId, ...q };
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
      try {
        await this.repo.write(rows);
        wait = 200;
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
