// Live processing of one EEG device: causal notch + band-pass with state carried across chunks,
// sliding windows classified by the active model, and once a second band powers and signal
// quality. Pure and synchronous: the same samples give the same outputs however they are chunked.
import type { BandPowerEvent, PredictionEvent, QualityEvent } from '@bci/shared';
import { EEG_BANDS, FeatureBlockPlan, type SignalQualityOptions } from '../features';
import type { MiClassifier, RecordingMeta, SpatialPowerModel } from '../classify/types';
import { spatialFilterInto } from '../classify/csp';
import { makeCausalFilter, type CausalFilter, type CausalFilterOptions } from './causalFilter';
import { FlatRing } from './flatRing';

export interface EegStreamProcessorOptions extends Omit<CausalFilterOptions, 'nChannels'> {
  channels: string[];
  /** Default window length when the model does not say (seconds). Default 2. */
  windowSec?: number;
  /** Hop between windows (seconds). Default 0.25. */
  stepSec?: number;
  /** Longest window a model may ask for (seconds): sizes the ring. Default 8. */
  maxWindowSec?: number;
  /** Band powers and quality are emitted every this many seconds of data. Default 1. */
  featureEverySec?: number;
  /** ...computed over the last this many seconds. Default 1 (one 128-sample Welch segment at 160 Hz keeps 64 channels cheap). */
  featureWindowSec?: number;
  /**
   * Delay of the first feature block, in samples (0 ≤ phase < featureEverySec·fs). A server with
   * many devices gives each its own phase so their once-a-second spectra do not all land in
   * the same batch.
   */
  featurePhaseSamples?: number;
  quality?: SignalQualityOptions;
}

/** A chunk as it comes off the wire: channel-major samples[c * nSamples + i]. */
export interface StreamChunk {
  t0Us: number;
  nSamples: number;
  samples: ArrayLike<number>;
}

/** A classifier with the identity it is stored under. */
export interface ActiveModel {
  id: string;
  version: number;
  classifier: Pick<MiClassifier, 'classes' | 'predictProba'> & { meta?: RecordingMeta; spatialPowerModel?(): SpatialPowerModel | null };
}

/**
 * What the processor emits is the wire contract's events (shared/src/pipeline.ts) without what the
 * server adds: the device id (and, for predictions, the server's clocks).
 */
export type Prediction = Omit<PredictionEvent, 'deviceId' | 'receivedAtUs' | 'dispatchedAtUs' | 'emittedAtUs'>;

export type BandPowerFrame = Omit<BandPowerEvent, 'deviceId'>;

export type QualityFrame = Omit<QualityEvent, 'deviceId'>;

export interface ProcessorOutput {
  predictions: Prediction[];
  bandPowers: BandPowerFrame[];
  quality: QualityFrame[];
  /** True when this chunk did not follow the previous one in device time and the stream restarted. */
  restarted: boolean;
}

interface LoadedModel extends ActiveModel {
  channelIdx: number[];
  windowSamples: number;
  buffer: Float64Array;
  spatial: SpatialPath | null;
}

/**
 * Per-sample path for spatial-filter power models (CSP+LDA): each filtered sample is spatially
 * filtered once as it arrives and kept in a ring aligned with `filtered`; a window then costs
 * nFilters × windowSamples instead of nFilters × nChannels × windowSamples, with the same bits.
 */
interface SpatialPath {
  model: SpatialPowerModel;
  ring: FlatRing;
  /** Per filter, the current chunk's filtered values. */
  scratch: Float64Array[];
  window: Float64Array;
  logPowers: Float64Array;
  filterIdx: number[];
}

/** Window length a model was trained for, in samples (from its meta), or undefined. */
export function modelWindowSamples(meta: RecordingMeta | undefined, fsHz: number): number | undefined {
  const w = meta?.window;
  if (!w) return undefined;
  if ('windowSec' in w) return Math.round(w.windowSec * fsHz);
  return Math.round((w.tmaxS - w.tminS) * fsHz);
}

const MAX_SCRATCH_SAMPLES = 4096;

export class EegStreamProcessor {
  readonly channels: string[];
  readonly fsHz: number;
  readonly stepSamples: number;
  readonly defaultWindowSamples: number;
  private readonly nCh: number;
  private readonly filter: CausalFilter;
  private readonly filtered: FlatRing;
  private readonly notched: FlatRing;
  private readonly raw: FlatRing;
  private readonly featureEvery: number;
  private readonly featureWindow: number;
  private readonly featurePhase: number;
  private readonly welchSeg: number;
  private readonly qualityOptions: SignalQualityOptions;
  /** Plans and buffers of features(), built on first use. */
  private featurePlan: FeatureBlockPlan | null = null;
  private model: LoadedModel | null = null;
  /** Samples since the stream (re)started. */
  private total = 0;
  /** Index of the next window to close; it ends (exclusive) at defaultWindowSamples + k * stepSamples. */
  private nextWindow = 0;
  private nextFeatureEnd: number;
  private expectedT0Us: number | null = null;
  private scratch: { n: number; raw: Float64Array[]; notched: Float64Array[]; filtered: Float64Array[] } | null = null;
  /** Device time of sample 0 of the current stream: sample times are derived from it, not from each chunk, so they do not depend on chunking. */
  private streamT0Us = 0;

  constructor(private readonly o: EegStreamProcessorOptions) {
    this.channels = [...o.channels];
    this.nCh = o.channels.length;
    this.fsHz = o.fsHz;
    this.defaultWindowSamples = Math.round((o.windowSec ?? 2) * o.fsHz);
    this.stepSamples = Math.round((o.stepSec ?? 0.25) * o.fsHz);
    if (this.stepSamples < 1 || this.defaultWindowSamples < 1) throw new RangeError('windowSec and stepSec must be at least one sample');
    this.filter = makeCausalFilter({ ...o, nChannels: this.nCh });
    const maxWindow = Math.max(this.defaultWindowSamples, Math.round((o.maxWindowSec ?? 8) * o.fsHz));
    this.filtered = new FlatRing(this.nCh, maxWindow);
    this.featureEvery = Math.round((o.featureEverySec ?? 1) * o.fsHz);
    this.featureWindow = Math.max(this.featureEvery, Math.round((o.featureWindowSec ?? 1) * o.fsHz));
    this.featurePhase = Math.max(0, Math.floor(o.featurePhaseSamples ?? 0)) % this.featureEvery;
    this.notched = new FlatRing(this.nCh, this.featureWindow);
    this.raw = new FlatRing(this.nCh, this.featureWindow);
    this.nextFeatureEnd = this.featureWindow + this.featurePhase;
    // Welch segments of a power-of-two length avoid the much slower Bluestein FFT (1.25 Hz bins at 160 Hz).
    this.welchSeg = Math.min(this.featureWindow, 2 ** Math.floor(Math.log2(o.fsHz)));
    this.qualityOptions = { nperseg: this.welchSeg, ...o.quality };
  }

  get activeModel(): ActiveModel | null {
    return this.model;
  }

  /** Samples received since the stream (re)started. */
  get totalSamples(): number {
    return this.total;
  }

  /**
   * Swaps the classifier. push() is synchronous, so the swap lands between two chunks and the
   * next window to close is the first one the new model sees: no window is lost or classified
   * twice. Throws (keeping the old model) if the model does not fit this stream.
   */
  setModel(model: ActiveModel | null): void {
    if (!model) {
      this.model = null;
      return;
    }
    const meta = model.classifier.meta;
    if (meta && meta.fsHz !== this.fsHz) throw new Error(`model ${model.id} expects ${meta.fsHz} Hz, the stream has ${this.fsHz} Hz`);
    let channelIdx: number[];
    if (meta) {
      const lower = this.channels.map((c) => c.toLowerCase());
      channelIdx = meta.channels.map((c) => {
        const i = lower.indexOf(c.toLowerCase());
        if (i < 0) throw new Error(`model ${model.id} needs channel ${c}, which the stream lacks`);
        return i;
      });
    } else {
      channelIdx = this.channels.map((_, i) => i);
    }
    const windowSamples = modelWindowSamples(meta, this.fsHz) ?? this.defaultWindowSamples;
    if (windowSamples > this.filtered.capacity) throw new Error(`model ${model.id} window of ${windowSamples} samples exceeds maxWindowSec`);
    const spatial = this.spatialPath(model.classifier.spatialPowerModel?.() ?? null, channelIdx, windowSamples);
    this.model = { ...model, channelIdx, windowSamples, buffer: new Float64Array(channelIdx.length * windowSamples), spatial };
  }

  /** The per-sample path for a spatial-power model, primed with the history the ring holds so the next window is complete. */
  private spatialPath(model: SpatialPowerModel | null, channelIdx: number[], windowSamples: number): SpatialPath | null {
    if (!model || !model.filters.length || model.filters.some((w) => w.length !== channelIdx.length)) return null;
    const nF = model.filters.length;
    const ring = new FlatRing(nF, this.filtered.capacity);
    const held = Math.min(this.total, this.filtered.capacity);
    ring.resetTo(this.total - held);
    if (held > 0) {
      const history = this.filtered.latest(held);
      const ys = model.filters.map((w) => {
        const y = new Float64Array(held);
        spatialFilterInto(w, history, channelIdx, 0, held, y, 0);
        return y;
      });
      ring.push(ys, 0, held);
    }
    return {
      model,
      ring,
      scratch: [],
      window: new Float64Array(nF * windowSamples),
      logPowers: new Float64Array(nF),
      filterIdx: Array.from({ length: nF }, (_, f) => f),
    };
  }

  /** Forget all history (filters, windows, counters); the model stays. */
  reset(): void {
    this.filter.notch?.reset();
    this.filter.bandPass.reset();
    this.filtered.clear();
    this.model?.spatial?.ring.clear();
    this.notched.clear();
    this.raw.clear();
    this.total = 0;
    this.nextWindow = 0;
    this.nextFeatureEnd = this.featureWindow + this.featurePhase;
    this.expectedT0Us = null;
  }

  push(chunk: StreamChunk): ProcessorOutput {
    const n = chunk.nSamples;
    if (chunk.samples.length !== n * this.nCh) throw new RangeError(`chunk holds ${chunk.samples.length} values, expected ${this.nCh} x ${n}`);
    const out: ProcessorOutput = { predictions: [], bandPowers: [], quality: [], restarted: false };
    const periodUs = 1e6 / this.fsHz;
    // A jump in device time (dropped chunks, device restart) breaks the filters' continuity and
    // the sample → time mapping: start over rather than filter across the gap.
    if (this.expectedT0Us !== null && Math.abs(chunk.t0Us - this.expectedT0Us) > periodUs) {
      this.reset();
      out.restarted = true;
    }
    if (this.total === 0) this.streamT0Us = chunk.t0Us;
    this.expectedT0Us = chunk.t0Us + n * periodUs;
    if (n === 0) return out;

    const { raw, notched, filtered } = this.scratchFor(n);
    for (let c = 0; c < this.nCh; c++) {
      const r = raw[c];
      for (let i = 0, k = c * n; i < n; i++, k++) r[i] = chunk.samples[k];
      notched[c].set(r);
    }
    this.filter.notch?.processInPlace(notched);
    for (let c = 0; c < this.nCh; c++) filtered[c].set(notched[c]);
    this.filter.bandPass.processInPlace(filtered);

    // Feed the rings up to each event boundary in turn so a chunk of any size (even a whole
    // recording) yields every window and feature block exactly once.
    let pos = 0;
    while (pos < n) {
      const windowEnd = this.defaultWindowSamples + this.nextWindow * this.stepSamples;
      const until = Math.min(windowEnd, this.nextFeatureEnd) - this.total;
      const take = Math.min(until, n - pos);
      this.filtered.push(filtered, pos, pos + take);
      const sp = this.model?.spatial;
      if (sp) this.pushSpatial(sp, this.model!.channelIdx, filtered, pos, pos + take);
      this.notched.push(notched, pos, pos + take);
      this.raw.push(raw, pos, pos + take);
      pos += take;
      this.total += take;
      const timeOf = (sample: number) => this.streamT0Us + Math.round(sample * periodUs);
      if (this.total === windowEnd) {
        const p = this.classify(windowEnd, timeOf(windowEnd - 1));
        if (p) out.predictions.push(p);
        this.nextWindow++;
      }
      if (this.total === this.nextFeatureEnd) {
        this.features(out, timeOf(this.total - 1));
        this.nextFeatureEnd += this.featureEvery;
      }
    }
    return out;
  }

  /**
   * Per-chunk working buffers, kept while chunks keep their size (the usual case: a device sends
   * fixed-size chunks), so the hot path allocates nothing per chunk.
   */
  private scratchFor(n: number): { raw: Float64Array[]; notched: Float64Array[]; filtered: Float64Array[] } {
    if (this.scratch?.n === n) return this.scratch;
    const make = () => Array.from({ length: this.nCh }, () => new Float64Array(n));
    const s = { n, raw: make(), notched: make(), filtered: make() };
    // A huge one-off chunk (a whole recording) is not worth keeping.
    if (n <= MAX_SCRATCH_SAMPLES) this.scratch = s;
    return s;
  }

  private pushSpatial(sp: SpatialPath, channelIdx: number[], filtered: Float64Array[], from: number, to: number): void {
    const n = to - from;
    if (!sp.scratch.length || sp.scratch[0].length < n) sp.scratch = sp.model.filters.map(() => new Float64Array(n));
    sp.model.filters.forEach((w, f) => spatialFilterInto(w, filtered, channelIdx, from, to, sp.scratch[f], 0));
    sp.ring.push(sp.scratch, 0, n);
  }

  private classify(end: number, endUs: number): Prediction | null {
    const m = this.model;
    const windowIndex = this.nextWindow;
    if (!m || end < m.windowSamples) return null;
    const start = end - m.windowSamples;
    let proba: Float64Array;
    if (m.spatial) {
      const sp = m.spatial;
      const T = m.windowSamples;
      sp.ring.readInto(start, end, sp.window, sp.filterIdx);
      for (let f = 0; f < sp.filterIdx.length; f++) {
        let p = 0;
        for (let t = f * T; t < (f + 1) * T; t++) p += sp.window[t] * sp.window[t];
        sp.logPowers[f] = Math.log(p / T);
      }
      proba = sp.model.probaFromLogPowers(sp.logPowers);
    } else {
      this.filtered.readInto(start, end, m.buffer, m.channelIdx);
      // Inference never memoises by buffer, so one buffer per model is reused for every window.
      proba = m.classifier.predictProba({ data: m.buffer, nChannels: m.channelIdx.length, nSamples: m.windowSamples });
    }
    let best = 0;
    for (let i = 1; i < proba.length; i++) if (proba[i] > proba[best]) best = i;
    return {
      windowIndex,
      windowStartSample: start,
      windowEndSample: end - 1,
      windowEndUs: endUs,
      label: m.classifier.classes[best],
      classes: [...m.classifier.classes],
      probabilities: Array.from(proba),
      modelId: m.id,
      modelVersion: m.version,
    };
  }

  private features(out: ProcessorOutput, timeUs: number): void {
    const endSample = this.total - 1;
    const w = this.featureWindow;
    // Same results as welchPsd + bandPowers per channel and signalQuality over the block, with
    // the FFT plans, window, band weights and buffers built once.
    const plan = (this.featurePlan ??= new FeatureBlockPlan({
      nChannels: this.nCh,
      len: w,
      fsHz: this.fsHz,
      nperseg: this.welchSeg,
      bands: EEG_BANDS,
      quality: this.qualityOptions,
    }));
    const end = this.notched.totalPushed;
    this.notched.readInto(end - w, end, plan.input, plan.allChannels);
    const relative = plan.bandPowers();
    out.bandPowers.push({ timeUs, endSample, bands: EEG_BANDS.map((b) => b.name), channels: this.channels, relative });
    // Quality from the raw signal: the notch would hide the very mains pickup ('noisy') that
    // betrays a loose electrode, and the band-pass would hide drift and rails.
    const rawEnd = this.raw.totalPushed;
    this.raw.readInto(rawEnd - w, rawEnd, plan.input, plan.allChannels);
    const q = plan.quality();
    out.quality.push({
      timeUs,
      endSample,
      channels: q.map((c) => ({
        channel: this.channels[c.channel],
        verdict: c.verdict,
        std: c.std,
        railedFraction: c.railedFraction,
        lineNoiseRatio: Number.isFinite(c.lineNoiseRatio) ? c.lineNoiseRatio : null,
      })),
    });
  }
}
