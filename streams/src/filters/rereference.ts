// Re-referencing (a spatial filter), the first step of the EEG chain: it must run before
// temporal filtering so every channel shares the same reference when filtered.
import { ChunkProcessor } from './SosFilter';

export interface RereferenceOptions {
  nChannels: number;
  /**
   * Channels whose mean is the new reference. Default: all channels (common
   * average reference, CAR). Use e.g. [idxA1, idxA2] for linked mastoids.
   */
  referenceChannels?: ReadonlyArray<number>;
  /** Channels left untouched (e.g. EOG/EMG/trigger). They are never part of the reference either. */
  exclude?: ReadonlyArray<number>;
}

/** Subtracts the per-sample mean of the reference channels from every other channel. Stateless. */
export class Rereference implements ChunkProcessor {
  readonly nChannels: number;
  private readonly refs: number[];
  private readonly targets: number[];

  constructor(o: RereferenceOptions) {
    this.nChannels = o.nChannels;
    const excluded = new Set(o.exclude ?? []);
    const all = Array.from({ length: o.nChannels }, (_, i) => i);
    for (const i of [...(o.referenceChannels ?? []), ...excluded]) {
      if (!Number.isInteger(i) || i < 0 || i >= o.nChannels) throw new RangeError(`channel index ${i} out of range`);
    }
    this.refs = (o.referenceChannels ?? all).filter((i) => !excluded.has(i));
    if (this.refs.length === 0) throw new RangeError('no reference channels left');
    this.targets = all.filter((i) => !excluded.has(i));
  }

  process(chunk: ReadonlyArray<Float64Array>): Float64Array[] {
    const out = chunk.map((ch) => Float64Array.from(ch));
    this.processInPlace(out);
    return out;
  }

  processInPlace(chunk: Float64Array[]): void {
    if (chunk.length !== this.nChannels) throw new RangeError(`expected ${this.nChannels} channels, got ${chunk.length}`);
    const n = chunk[0].length;
    const ref = new Float64Array(n);
    for (const r of this.refs) {
      const ch = chunk[r];
      if (ch.length !== n) throw new RangeError(`channel ${r} has ${ch.length} samples, channel 0 has ${n}`);
      for (let i = 0; i < n; i++) ref[i] += ch[i];
    }
    const k = 1 / this.refs.length;
    for (let i = 0; i < n; i++) ref[i] *= k;
    for (const t of this.targets) {
      const ch = chunk[t];
      for (let i = 0; i < n; i++) ch[i] -= ref[i];
    }
  }

  reset(): void {
    // Stateless: nothing to forget.
  }
}
