// Cut epochs around marker events, offline (whole recording) or online (as samples arrive).
import { checkEpoch, RejectCriteria, RejectionReason } from './artifacts';
import { RingBuffer } from './RingBuffer';

export interface EpochOptions {
  fsHz: number;
  /** Epoch start relative to the event, seconds (may be negative). */
  tminSec: number;
  /** Epoch end relative to the event, seconds; exclusive unless includeTmax. */
  tmaxSec: number;
  /**
   * false (default): samples [tmin, tmax), e.g. 0.5..2.5 s at 160 Hz = 320 samples.
   * true: [tmin, tmax] inclusive like MNE (321 samples).
   */
  includeTmax?: boolean;
  /**
   * Baseline window (startSec, endSec) relative to the event, inclusive, inside
   * [tmin, tmax]; null ends mean the epoch's edge. The per-channel mean over it
   * is subtracted, after artifact rejection.
   */
  baseline?: [number | null, number | null] | null;
  /** Optional artifact criteria, checked on the epoch before baseline correction. */
  reject?: RejectCriteria;
  /** Channel labels, only used to name channels in rejection reasons. */
  channelLabels?: ReadonlyArray<string>;
}

export interface EpochEvent {
  /** Absolute sample index of the marker. */
  sample: number;
  label?: string;
}

export interface Epoch {
  eventSample: number;
  label?: string;
  /** Absolute sample index of data[c][0]. */
  startSample: number;
  /** One array per channel. */
  data: Float64Array[];
  /** Empty when the epoch passed the rejection criteria (or none were given). */
  rejected: RejectionReason[];
}

export interface SkippedEvent {
  event: EpochEvent;
  reason: 'before-start' | 'after-end' | 'evicted';
}

/** Sample geometry of an epoch, shared by the offline and online paths. */
export class EpochLayout {
  readonly startOffset: number;
  readonly length: number;
  readonly baseline: [number, number] | null; // index range inside the epoch, inclusive

  constructor(readonly opts: EpochOptions) {
    const { fsHz, tminSec, tmaxSec } = opts;
    if (!(fsHz > 0)) throw new RangeError(`fsHz must be > 0, got ${fsHz}`);
    if (!(tmaxSec > tminSec)) throw new RangeError(`tmaxSec (${tmaxSec}) must be > tminSec (${tminSec})`);
    this.startOffset = Math.round(tminSec * fsHz);
    this.length = Math.round(tmaxSec * fsHz) - this.startOffset + (opts.includeTmax ? 1 : 0);
    if (this.length < 1) throw new RangeError('epoch is shorter than one sample');
    if (opts.baseline) {
      const [b0, b1] = opts.baseline;
      const i0 = b0 === null ? 0 : Math.round(b0 * fsHz) - this.startOffset;
      const i1 = b1 === null ? this.length - 1 : Math.round(b1 * fsHz) - this.startOffset;
      if (i0 < 0 || i1 > this.length - 1 || i0 > i1) {
        throw new RangeError(`baseline (${b0}, ${b1}) s must lie inside the epoch [${tminSec}, ${tmaxSec}] s`);
      }
      this.baseline = [i0, i1];
    } else {
      this.baseline = null;
    }
  }

  /** Reject check, then baseline correction in place. */
  finish(event: EpochEvent, startSample: number, data: Float64Array[]): Epoch {
    const rejected = this.opts.reject ? checkEpoch(data, this.opts.reject, this.opts.channelLabels) : [];
    if (this.baseline) {
      const [i0, i1] = this.baseline;
      for (const ch of data) {
        let s = 0;
        for (let i = i0; i <= i1; i++) s += ch[i];
        const mean = s / (i1 - i0 + 1);
        for (let i = 0; i < ch.length; i++) ch[i] -= mean;
      }
    }
    const epoch: Epoch = { eventSample: event.sample, startSample, data, rejected };
    if (event.label !== undefined) epoch.label = event.label;
    return epoch;
  }
}

function copyRange(ch: ArrayLike<number>, start: number, n: number): Float64Array {
  const o = new Float64Array(n);
  for (let i = 0; i < n; i++) o[i] = ch[start + i];
  return o;
}

/** Offline: epochs for all events that fit inside the recording (channel-major). */
export function epochRecording(
  channels: ReadonlyArray<ArrayLike<number>>,
  events: ReadonlyArray<EpochEvent>,
  opts: EpochOptions,
): { epochs: Epoch[]; skipped: SkippedEvent[] } {
  const layout = new EpochLayout(opts);
  const n = channels.length ? channels[0].length : 0;
  const epochs: Epoch[] = [];
  const skipped: SkippedEvent[] = [];
  for (const ev of events) {
    const start = ev.sample + layout.startOffset;
    if (start < 0) skipped.push({ event: ev, reason: 'before-start' });
    else if (start + layout.length > n) skipped.push({ event: ev, reason: 'after-end' });
    else {
      const data = channels.map((ch) => copyRange(ch, start, layout.length));
      epochs.push(layout.finish(ev, start, data));
    }
  }
  return { epochs, skipped };
}

/**
 * Online: feed samples with push() and events with addEvent() (events may arrive
 * a little after their samples); an epoch is emitted as soon as its last sample
 * has been received. Same epochs as epochRecording on the concatenated stream.
 */
export class Epocher {
  readonly nChannels: number;
  private readonly layout: EpochLayout;
  private readonly ring: RingBuffer;
  private pending: EpochEvent[] = [];
  private readonly skippedEvents: SkippedEvent[] = [];

  /** bufferSec: how far back an event may reach (epoch length + marker latency). Default epoch length + 10 s. */
  constructor(nChannels: number, opts: EpochOptions & { bufferSec?: number }) {
    this.nChannels = nChannels;
    this.layout = new EpochLayout(opts);
    const bufferSamples = Math.max(this.layout.length, Math.round((opts.bufferSec ?? this.layout.length / opts.fsHz + 10) * opts.fsHz));
    this.ring = new RingBuffer(nChannels, bufferSamples);
  }

  get epochSamples(): number {
    return this.layout.length;
  }

  /** Events that could not be epoched (start before sample 0, or already overwritten). Drains the list. */
  takeSkipped(): SkippedEvent[] {
    return this.skippedEvents.splice(0);
  }

  /** Register a marker; returns the epoch at once if all its samples are already buffered. */
  addEvent(event: EpochEvent): Epoch[] {
    this.pending.push(event);
    this.pending.sort((a, b) => a.sample - b.sample);
    return this.drain();
  }

  push(chunk: ReadonlyArray<ArrayLike<number>>): Epoch[] {
    this.ring.push(chunk);
    return this.drain();
  }

  private drain(): Epoch[] {
    const out: Epoch[] = [];
    const have = this.ring.totalPushed;
    const keep: EpochEvent[] = [];
    for (const ev of this.pending) {
      const start = ev.sample + this.layout.startOffset;
      const end = start + this.layout.length;
      if (start < 0) this.skippedEvents.push({ event: ev, reason: 'before-start' });
      else if (start < this.ring.firstIndex) this.skippedEvents.push({ event: ev, reason: 'evicted' });
      else if (end <= have) out.push(this.layout.finish(ev, start, this.ring.read(start, end)));
      else keep.push(ev);
    }
    this.pending = keep;
    return out;
  }

  reset(): void {
    this.ring.clear();
    this.pending = [];
    this.skippedEvents.length = 0;
  }
}
