// Stateful multichannel causal filter for streaming: per-channel state carried across chunks.
import { Sos } from './design';
import { flattenSos, sosfiltInPlace, sosfiltZi } from './sosfilt';

export interface SosFilterOptions {
  /**
   * 'zero' (default): start from rest, like sosfilt without zi.
   * 'steady': start each channel in the steady state for its first sample
   * (sosfilt_zi * x[0]), which removes the start-up transient of a DC offset.
   */
  initialState?: 'zero' | 'steady';
}

/** Anything that turns a channel-major chunk into a filtered one and can be reset. */
export interface ChunkProcessor {
  readonly nChannels: number;
  process(chunk: ReadonlyArray<Float64Array>): Float64Array[];
  processInPlace(chunk: Float64Array[]): void;
  reset(): void;
}

export class SosFilter implements ChunkProcessor {
  readonly sos: Sos;
  readonly nChannels: number;
  private readonly coef: Float64Array;
  private readonly zi: Float64Array;
  private readonly states: Float64Array[];
  private readonly initialState: 'zero' | 'steady';
  private started: boolean[];

  constructor(sos: Sos, nChannels: number, options: SosFilterOptions = {}) {
    if (!Number.isInteger(nChannels) || nChannels < 1) throw new RangeError(`nChannels must be a positive integer, got ${nChannels}`);
    this.sos = sos.map((s) => [...s] as Sos[number]);
    this.coef = flattenSos(sos);
    this.nChannels = nChannels;
    this.initialState = options.initialState ?? 'zero';
    this.zi = sosfiltZi(sos);
    this.states = Array.from({ length: nChannels }, () => new Float64Array(2 * sos.length));
    this.started = new Array<boolean>(nChannels).fill(false);
  }

  get nSections(): number {
    return this.sos.length;
  }

  /** Filter a chunk (one Float64Array per channel, equal lengths) into new arrays. */
  process(chunk: ReadonlyArray<Float64Array>): Float64Array[] {
    const out = chunk.map((ch) => Float64Array.from(ch));
    this.processInPlace(out);
    return out;
  }

  /** Filter a chunk in place (no allocation: the streaming hot path). */
  processInPlace(chunk: Float64Array[]): void {
    if (chunk.length !== this.nChannels) throw new RangeError(`expected ${this.nChannels} channels, got ${chunk.length}`);
    const n = chunk[0].length;
    for (let c = 0; c < this.nChannels; c++) {
      const buf = chunk[c];
      if (buf.length !== n) throw new RangeError(`channel ${c} has ${buf.length} samples, channel 0 has ${n}`);
      if (n === 0) continue;
      if (!this.started[c]) {
        this.started[c] = true;
        if (this.initialState === 'steady') {
          const x0 = buf[0];
          const st = this.states[c];
          for (let i = 0; i < st.length; i++) st[i] = this.zi[i] * x0;
        }
      }
      sosfiltInPlace(this.coef, this.states[c], buf);
    }
  }

  /** Forget all history (e.g. after a gap in the stream). */
  reset(): void {
    for (const s of this.states) s.fill(0);
    this.started.fill(false);
  }

  /** Copy of one channel's state, 2 values per section (scipy zi layout). */
  getState(channel: number): Float64Array {
    return this.states[channel].slice();
  }
}
