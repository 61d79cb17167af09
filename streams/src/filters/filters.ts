// Ready-made streaming filters for EEG and a chain to run them in order.
import { butterSos, iirNotch } from './design';
import { ChunkProcessor, SosFilter, SosFilterOptions } from './SosFilter';

export interface BandPassOptions extends SosFilterOptions {
  lowHz: number;
  highHz: number;
  fsHz: number;
  nChannels: number;
  /** Butterworth prototype order (scipy's N; the band-pass has 2N poles). Default 4. */
  order?: number;
}

/** Causal Butterworth band-pass, e.g. 8-30 Hz for motor imagery. */
export class BandPassFilter extends SosFilter {
  constructor(o: BandPassOptions) {
    super(butterSos(o.order ?? 4, [o.lowHz, o.highHz], 'bandpass', o.fsHz), o.nChannels, o);
  }
}

export interface NotchOptions extends SosFilterOptions {
  /** Mains frequency, 50 (EU) or 60 (US) Hz. */
  freqHz: number;
  fsHz: number;
  nChannels: number;
  /** Quality factor: -3 dB width = freqHz / Q. Default 30. */
  Q?: number;
}

/** Causal IIR notch (scipy.signal.iirnotch) for mains interference. */
export class NotchFilter extends SosFilter {
  constructor(o: NotchOptions) {
    super(iirNotch(o.freqHz, o.Q ?? 30, o.fsHz), o.nChannels, o);
  }
}

/** Runs stages in order on each chunk (e.g. notch, then band-pass). */
export class FilterChain implements ChunkProcessor {
  readonly stages: ChunkProcessor[];
  readonly nChannels: number;

  constructor(stages: ChunkProcessor[]) {
    if (stages.length === 0) throw new RangeError('FilterChain needs at least one stage');
    const n = stages[0].nChannels;
    if (stages.some((s) => s.nChannels !== n)) throw new RangeError('all stages of a FilterChain must have the same nChannels');
    this.stages = stages;
    this.nChannels = n;
  }

  process(chunk: ReadonlyArray<Float64Array>): Float64Array[] {
    const out = chunk.map((ch) => Float64Array.from(ch));
    this.processInPlace(out);
    return out;
  }

  processInPlace(chunk: Float64Array[]): void {
    for (const s of this.stages) s.processInPlace(chunk);
  }

  reset(): void {
    for (const s of this.stages) s.reset();
  }
}
