// Min/max decimation for display: a trace drawn from per-bucket extremes keeps every spike
// that plain subsampling would drop. Buckets are aligned to absolute sample indexes and a
// partial bucket waits for the next chunk, so chunking never changes the output.

export interface DecimatedBlock {
  /** Absolute index of the first sample of the first bucket. */
  firstSample: number;
  nBuckets: number;
  /** Channel-major: min[c * nBuckets + b] for channel c, bucket b (float32: display precision). */
  min: Float32Array;
  max: Float32Array;
}

export class MinMaxDecimator {
  private readonly pendingMin: Float64Array;
  private readonly pendingMax: Float64Array;
  private pendingCount = 0;
  private nextSample = 0;

  constructor(
    private readonly nChannels: number,
    readonly samplesPerBucket: number,
  ) {
    if (samplesPerBucket < 1 || !Number.isInteger(samplesPerBucket)) throw new Error('samplesPerBucket must be a positive integer');
    this.pendingMin = new Float64Array(nChannels).fill(Infinity);
    this.pendingMax = new Float64Array(nChannels).fill(-Infinity);
  }

  /** Buckets needed for at most `pointsPerSecond` points per channel at `fsHz`. */
  static forRate(nChannels: number, fsHz: number, pointsPerSecond = 100): MinMaxDecimator {
    return new MinMaxDecimator(nChannels, Math.max(1, Math.ceil(fsHz / pointsPerSecond)));
  }

  /** Takes a channel-major chunk; returns the buckets it completed (possibly none). */
  push(samples: ArrayLike<number>, nSamples: number): DecimatedBlock {
    const n = this.nChannels;
    const firstSample = this.nextSample - this.pendingCount;
    const nBuckets = Math.floor((this.pendingCount + nSamples) / this.samplesPerBucket);
    const min = new Float32Array(n * nBuckets);
    const max = new Float32Array(n * nBuckets);
    let b = 0;
    for (let i = 0; i < nSamples; i++) {
      for (let c = 0; c < n; c++) {
        const v = samples[c * nSamples + i];
        if (v < this.pendingMin[c]) this.pendingMin[c] = v;
        if (v > this.pendingMax[c]) this.pendingMax[c] = v;
      }
      if (++this.pendingCount === this.samplesPerBucket) {
        for (let c = 0; c < n; c++) {
          min[c * nBuckets + b] = this.pendingMin[c];
          max[c * nBuckets + b] = this.pendingMax[c];
        }
        b++;
        this.pendingMin.fill(Infinity);
        this.pendingMax.fill(-Infinity);
        this.pendingCount = 0;
      }
    }
    this.nextSample += nSamples;
    return { firstSample, nBuckets, min, max };
  }
}
