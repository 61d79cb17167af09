// Every EEG device's stream processor behind one synchronous entry point. The live server runs
// one of these per processing thread (devices are sharded by id), so everything a device needs
// — its processor, its model, duplicate detection — lives here, free of I/O and threads.
import { fnv1a32 } from '@bci/shared';
import { classifierFromArtifact } from '../classify/fromArtifact';
import type { MiArtifact } from '../classify/artifact';
import { EegStreamProcessor, type ActiveModel, type ProcessorOutput } from './EegStreamProcessor';

export interface DevicePipelinesOptions {
  windowSec: number;
  stepSec: number;
  notchHz: number | null;
  lowHz: number;
  highHz: number;
  order: number;
}

/** A decoded EEG chunk (the wire contract's EegChunk without the unit). */
export interface DeviceChunk {
  deviceId: string;
  seq: number;
  t0Us: number;
  fsHz: number;
  channels: string[];
  nSamples: number;
  samples: ArrayLike<number>;
}

/** A stored model as the server hands it over (artifact = the versioned JSON artefact). */
export interface ModelSpec {
  id: string;
  version: number;
  pipeline: string;
  artifact: unknown;
}

export interface ChunkResult {
  deviceId: string;
  seq: number;
  /** Device time just after the chunk's last sample. */
  endUs: number;
  output: ProcessorOutput;
}

interface DeviceState {
  processor: EegStreamProcessor | null;
  /** The last chunk's channel array, known to match the processor's channels. */
  checkedChannels: string[] | null;
  lastSeq: number;
}

/**
 * A stable number per device id for its worker shard and feature phase. The device's NATS
 * partition is FNV-1a of the id modulo the partition count, so the raw hash would put all of one
 * server's devices in the same residue class (with 2 partitions and 2 workers, all on one
 * worker); MurmurHash3's finaliser on top decorrelates the two.
 */
export function deviceHash(deviceId: string): number {
  let h = fnv1a32(deviceId);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export function loadModel(spec: ModelSpec): ActiveModel {
  return { id: spec.id, version: spec.version, classifier: classifierFromArtifact(spec.artifact as MiArtifact) };
}

export class DevicePipelines {
  private readonly devices = new Map<string, DeviceState>();
  private readonly models = new Map<string, ActiveModel>();

  constructor(
    private readonly options: DevicePipelinesOptions,
    /** Told when a device's stored model does not fit its stream (the device then runs without one). */
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  /**
   * Makes `spec` the device's model (null: none). With a live stream the processor swaps between
   * two chunks, so the next window to close is the first the new model sees. Throws, changing
   * nothing, if the artefact cannot be loaded or does not fit the live stream.
   */
  setModel(deviceId: string, spec: ModelSpec | null): void {
    const model = spec ? loadModel(spec) : null;
    this.devices.get(deviceId)?.processor?.setModel(model);
    if (model) this.models.set(deviceId, model);
    else this.models.delete(deviceId);
  }

  hasModel(deviceId: string): boolean {
    return this.models.has(deviceId);
  }

  /** Runs one chunk through its device's processor; null for a chunk already processed (redelivery). */
  process(c: DeviceChunk): ChunkResult | null {
    let s = this.devices.get(c.deviceId);
    if (!s) this.devices.set(c.deviceId, (s = { processor: null, checkedChannels: null, lastSeq: -1 }));
    // A redelivered chunk (its database write failed after it was processed) must not be processed twice.
    if (c.seq <= s.lastSeq) return null;
    s.lastSeq = c.seq;
    const output = this.processorFor(s, c).push(c);
    return { deviceId: c.deviceId, seq: c.seq, endUs: c.t0Us + Math.round((c.nSamples * 1e6) / c.fsHz), output };
  }

  private processorFor(s: DeviceState, c: DeviceChunk): EegStreamProcessor {
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
    const featurePhaseSamples = deviceHash(c.deviceId) % Math.max(1, Math.round(c.fsHz));
    const o = this.options;
    const p = new EegStreamProcessor({
      channels: c.channels,
      fsHz: c.fsHz,
      windowSec: o.windowSec,
      stepSec: o.stepSec,
      featurePhaseSamples,
      notchHz: o.notchHz,
      lowHz: o.lowHz,
      highHz: o.highHz,
      order: o.order,
    });
    const model = this.models.get(c.deviceId);
    if (model) {
      try {
        p.setModel(model);
      } catch (err) {
        this.warn(`device ${c.deviceId}: active model ${model.id} does not fit its stream (${(err as Error).message}); running without a model`);
      }
    }
    s.processor = p;
    return p;
  }
}
