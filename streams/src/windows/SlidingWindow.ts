// Fixed-length windows with a fixed hop over a stream arriving in chunks of any size.
import { RingBuffer } from './RingBuffer';

export interface Window {
  /** Absolute sample index of the first sample in the window. */
  startIndex: number;
  /** Absolute sample index of the last sample in the window. */
  endIndex: number;
  /** One Float64Array of windowSamples per channel (a copy). */
  data: Float64Array[];
}

/**
 * Emits every complete window exactly once: window k covers samples
 * [k*stepSamples, k*stepSamples + windowSamples). Which windows come out does
 * not depend on how the stream is chunked.
 */
export class SlidingWindow {
  readonly nChannels: number;
  readonly windowSamples: number;
  readonly stepSamples: number;
  private readonly ring: RingBuffer;
  private nextEnd: number; // absolute index + 1 of the next window's last sample

  constructor(nChannels: number, windowSamples: number, stepSamples: number) {
    if (!Number.isInteger(windowSamples) || windowSamples < 1) throw new RangeError(`windowSamples must be a positive integer, got ${windowSamples}`);
    if (!Number.isInteger(stepSamples) || stepSamples < 1) throw new RangeError(`stepSamples must be a positive integer, got ${stepSamples}`);
    this.nChannels = nChannels;
    this.windowSamples = windowSamples;
    this.stepSamples = stepSamples;
    this.ring = new RingBuffer(nChannels, windowSamples);
    this.nextEnd = windowSamples;
  }

  /** Sizes from seconds (rounded to whole samples). */
  static fromSeconds(nChannels: number, fsHz: number, windowSec: number, stepSec: number): SlidingWindow {
    return new SlidingWindow(nChannels, Math.round(windowSec * fsHz), Math.round(stepSec * fsHz));
  }

  /** Samples received so far. */
  get totalSamples(): number {
    return this.ring.totalPushed;
  }

  push(chunk: ReadonlyArray<ArrayLike<number>>): Window[] {
    const out: Window[] = [];
    const n = chunk.length ? chunk[0].length : 0;
    let pos = 0;
    while (pos < n) {
      // Feed up to the end of the next window, emit, repeat: the ring only ever
      // needs to hold one window.
      const needed = this.nextEnd - this.ring.totalPushed;
      const take = Math.min(needed, n - pos);
      this.ring.push(chunk, pos, pos + take);
      pos += take;
      if (this.ring.totalPushed === this.nextEnd) {
        const startIndex = this.nextEnd - this.windowSamples;
        out.push({ startIndex, endIndex: this.nextEnd - 1, data: this.ring.read(startIndex, this.nextEnd) });
        this.nextEnd += this.stepSamples;
      }
    }
    if (n === 0 && chunk.length !== this.nChannels) throw new RangeError(`expected ${this.nChannels} channels, got ${chunk.length}`);
    return out;
  }

  reset(): void {
    this.ring.clear();
    this.nextEnd = this.windowSamples;
  }
}
