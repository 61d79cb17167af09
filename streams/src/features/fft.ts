// Small FFT for spectral features: iterative radix-2 for powers of two and
// Bluestein's chirp-z (on a radix-2 core) for any other length, so Welch can use
// any segment length (scipy allows e.g. nperseg = 160 or 255).

interface Radix2Plan {
  n: number;
  cos: Float64Array;
  sin: Float64Array;
  rev: Uint32Array;
}

interface BluesteinPlan {
  n: number;
  m: number;
  core: Radix2Plan;
  chirpRe: Float64Array; // exp(-i*pi*k^2/n)
  chirpIm: Float64Array;
  bRe: Float64Array; // FFT of the conjugate chirp, zero-padded to m
  bIm: Float64Array;
  aRe: Float64Array; // scratch, reused by every call (the FFT is synchronous)
  aIm: Float64Array;
}

const radix2Plans = new Map<number, Radix2Plan>();
const bluesteinPlans = new Map<number, BluesteinPlan>();

export const isPowerOfTwo = (n: number): boolean => n > 0 && (n & (n - 1)) === 0;

function radix2Plan(n: number): Radix2Plan {
  let plan = radix2Plans.get(n);
  if (plan) return plan;
  const half = n >> 1;
  const cos = new Float64Array(half);
  const sin = new Float64Array(half);
  for (let k = 0; k < half; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / n);
    sin[k] = Math.sin((2 * Math.PI * k) / n);
  }
  const rev = new Uint32Array(n);
  const bits = Math.log2(n);
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let b = 0, v = i; b < bits; b++, v >>= 1) r = (r << 1) | (v & 1);
    rev[i] = r;
  }
  plan = { n, cos, sin, rev };
  radix2Plans.set(n, plan);
  return plan;
}

function radix2(plan: Radix2Plan, re: Float64Array, im: Float64Array, inverse: boolean): void {
  const { n, cos, sin, rev } = plan;
  for (let i = 0; i < n; i++) {
    const j = rev[i];
    if (j > i) {
      let t = re[i];
      re[i] = re[j];
      re[j] = t;
      t = im[i];
      im[i] = im[j];
      im[j] = t;
    }
  }
  const sign = inverse ? 1 : -1;
  for (let size = 2; size <= n; size <<= 1) {
    const halfSize = size >> 1;
    const step = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0, t = 0; k < halfSize; k++, t += step) {
        const wr = cos[t];
        const wi = sign * sin[t];
        const a = start + k;
        const b = a + halfSize;
        const xr = re[b] * wr - im[b] * wi;
        const xi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
      }
    }
  }
}

function bluesteinPlan(n: number): BluesteinPlan {
  let plan = bluesteinPlans.get(n);
  if (plan) return plan;
  let m = 1;
  while (m < 2 * n - 1) m <<= 1;
  const core = radix2Plan(m);
  const chirpRe = new Float64Array(n);
  const chirpIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    // k^2 mod 2n keeps the angle small, so it stays accurate for large k.
    const a = (Math.PI * ((k * k) % (2 * n))) / n;
    chirpRe[k] = Math.cos(a);
    chirpIm[k] = -Math.sin(a);
  }
  const bRe = new Float64Array(m);
  const bIm = new Float64Array(m);
  bRe[0] = chirpRe[0];
  bIm[0] = -chirpIm[0];
  for (let k = 1; k < n; k++) {
    bRe[k] = bRe[m - k] = chirpRe[k];
    bIm[k] = bIm[m - k] = -chirpIm[k];
  }
  radix2(core, bRe, bIm, false);
  plan = { n, m, core, chirpRe, chirpIm, bRe, bIm, aRe: new Float64Array(m), aIm: new Float64Array(m) };
  bluesteinPlans.set(n, plan);
  return plan;
}

function bluestein(plan: BluesteinPlan, re: Float64Array, im: Float64Array): void {
  const { n, m, core, chirpRe, chirpIm, bRe, bIm, aRe, aIm } = plan;
  for (let k = 0; k < n; k++) {
    aRe[k] = re[k] * chirpRe[k] - im[k] * chirpIm[k];
    aIm[k] = re[k] * chirpIm[k] + im[k] * chirpRe[k];
  }
  radix2(core, aRe, aIm, false);
  for (let k = 0; k < m; k++) {
    const r = aRe[k] * bRe[k] - aIm[k] * bIm[k];
    aIm[k] = aRe[k] * bIm[k] + aIm[k] * bRe[k];
    aRe[k] = r;
  }
  radix2(core, aRe, aIm, true);
  for (let k = 0; k < n; k++) {
    const r = aRe[k] / m;
    const i = aIm[k] / m;
    re[k] = r * chirpRe[k] - i * chirpIm[k];
    im[k] = r * chirpIm[k] + i * chirpRe[k];
  }
  aRe.fill(0, n);
  aIm.fill(0, n);
}

/** In-place forward DFT of any length: X[k] = sum x[j] exp(-2*pi*i*j*k/n). */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  if (im.length !== n) throw new RangeError('re and im must have the same length');
  if (n <= 1) return;
  if (isPowerOfTwo(n)) radix2(radix2Plan(n), re, im, false);
  else bluestein(bluesteinPlan(n), re, im);
}

/**
 * One-sided DFT of a real signal, zero-padded (or truncated) to n points:
 * floor(n/2) + 1 bins, like numpy.fft.rfft(x, n).
 */
export function rfft(x: ArrayLike<number>, n = x.length): { re: Float64Array; im: Float64Array } {
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let i = 0; i < Math.min(n, x.length); i++) re[i] = x[i];
  fft(re, im);
  const bins = (n >> 1) + 1;
  return { re: re.slice(0, bins), im: im.slice(0, bins) };
}

/**
 * Power spectrum |X[k]|^2, k = 0..floor(n/2), of a real signal zero-padded to n points: the same
 * values as |rfft(x, n)|^2 (up to rounding) without allocating. A plan owns its tables and
 * scratch, so it is meant to be built once and reused (it is not re-entrant).
 *
 * A power-of-two n >= 2 runs as one complex FFT of h = n/2 points, z[j] = x[2j] + i x[2j+1],
 * split into the one-sided bins. That FFT is radix-2 decimation in time with the stages fused in
 * pairs (radix-2^2: half the passes over memory), the first pass reading the input in
 * bit-reversed order itself. Any other n goes through fft() on full-length scratch.
 */
export class RealFftPower {
  readonly n: number;
  /** floor(n/2) + 1 output bins. */
  readonly bins: number;
  private readonly half: number;
  /** Bit reversal of log2(half) bits; null for the generic path. */
  private readonly rev: Uint32Array | null;
  /** Twiddles of the fused passes L = 4^a * (1 or 2) > 4: W_L^k then W_L^2k, k < L/4, packed per pass. */
  private readonly tw: Float64Array;
  /** exp(-2*pi*i*k/n), k = 0..half/2, interleaved re, im: recombines the even/odd half-length spectra. */
  private readonly split: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  /** Zero-padded copy of a short input. */
  private readonly padded: Float64Array;
  private onesArray: Float64Array | null = null;

  constructor(n: number) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive integer, got ${n}`);
    this.n = n;
    this.bins = (n >> 1) + 1;
    const fast = n >= 2 && isPowerOfTwo(n);
    const half = fast ? n >> 1 : n;
    this.half = half;
    this.re = new Float64Array(half);
    this.im = new Float64Array(half);
    this.padded = new Float64Array(n);
    if (!fast) {
      this.rev = null;
      this.tw = this.split = new Float64Array(0);
      return;
    }
    const bits = Math.round(Math.log2(half));
    const rev = new Uint32Array(half);
    for (let i = 0; i < half; i++) {
      let r = 0;
      for (let b = 0, v = i; b < bits; b++, v >>= 1) r = (r << 1) | (v & 1);
      rev[i] = r;
    }
    this.rev = rev;
    const tw: number[] = [];
    for (let size = bits % 2 === 1 ? 8 : 16; size <= half; size <<= 2) {
      for (let k = 0; k < size >> 2; k++) {
        tw.push(Math.cos((2 * Math.PI * k) / size), -Math.sin((2 * Math.PI * k) / size));
        tw.push(Math.cos((4 * Math.PI * k) / size), -Math.sin((4 * Math.PI * k) / size));
      }
    }
    this.tw = Float64Array.from(tw);
    const quarter = half >> 1;
    this.split = new Float64Array(2 * (quarter + 1));
    for (let k = 0; k <= quarter; k++) {
      this.split[2 * k] = Math.cos((2 * Math.PI * k) / n);
      this.split[2 * k + 1] = -Math.sin((2 * Math.PI * k) / n);
    }
  }

  /** out[k] = |X[k]|^2 for k < bins, X = DFT of x[0..len) zero-padded to n (len <= n). */
  power(x: ArrayLike<number>, len: number, out: Float64Array): void {
    const n = this.n;
    if (!(len >= 0 && len <= n && len <= x.length)) throw new RangeError(`len ${len} exceeds the transform length ${n} or the input`);
    if (len < n) {
      const p = this.padded;
      for (let i = 0; i < len; i++) p[i] = x[i];
      p.fill(0, len);
      x = p;
    }
    this.run(x, 0, 0, null, null, out);
  }

  /**
   * out[k] = scale[k] * |X[k]|^2, X = DFT of (x[offset + j] - mean) * win[j], j < n: a detrended,
   * windowed segment straight from the signal, without copying it first. win and scale may be
   * null (all ones).
   */
  powerOfSegment(
    x: ArrayLike<number>,
    offset: number,
    mean: number,
    win: ArrayLike<number> | null,
    scale: ArrayLike<number> | null,
    out: Float64Array,
  ): void {
    if (!(offset >= 0 && offset + this.n <= x.length)) throw new RangeError(`x holds ${x.length} samples, need ${offset + this.n}`);
    if (win !== null && win.length < this.n) throw new RangeError(`win needs ${this.n} values, has ${win.length}`);
    if (scale !== null && scale.length < this.bins) throw new RangeError(`scale needs ${this.bins} values, has ${scale.length}`);
    this.run(x, offset, mean, win, scale, out);
  }

  private run(
    x: ArrayLike<number>,
    offset: number,
    mean: number,
    win: ArrayLike<number> | null,
    scale: ArrayLike<number> | null,
    out: Float64Array,
  ): void {
    const { n, half, re, im, rev } = this;
    if (out.length < this.bins) throw new RangeError(`out needs ${this.bins} bins, has ${out.length}`);
    if (win === null) win = this.ones();
    if (scale === null) scale = this.ones();
    if (rev === null) {
      for (let i = 0; i < n; i++) re[i] = (x[offset + i] - mean) * win[i];
      im.fill(0);
      fft(re, im);
      for (let k = 0; k < this.bins; k++) out[k] = scale[k] * (re[k] * re[k] + im[k] * im[k]);
      return;
    }
    if (half === 1) {
      const x0 = (x[offset] - mean) * win[0];
      const x1 = (x[offset + 1] - mean) * win[1];
      const dc = x0 + x1;
      const nyq = x0 - x1;
      out[0] = scale[0] * (dc * dc);
      out[1] = scale[1] * (nyq * nyq);
      return;
    }
    // First pass straight from the input: slot i of the bit-reversed sequence is z[rev[i]].
    let size: number;
    if (half === 2 || (half & 0x55555555) === 0) {
      // odd number of radix-2 stages: a size-2 pass first
      for (let a = 0; a < half; a += 2) {
        const j0 = 2 * rev[a];
        const j1 = 2 * rev[a + 1];
        const ar = (x[offset + j0] - mean) * win[j0];
        const ai = (x[offset + j0 + 1] - mean) * win[j0 + 1];
        const br = (x[offset + j1] - mean) * win[j1];
        const bi = (x[offset + j1 + 1] - mean) * win[j1 + 1];
        re[a] = ar + br;
        im[a] = ai + bi;
        re[a + 1] = ar - br;
        im[a + 1] = ai - bi;
      }
      size = 8;
    } else {
      // fused size-2 and size-4 stages: twiddles 1 and -i
      for (let a = 0; a < half; a += 4) {
        const j0 = 2 * rev[a];
        const j1 = 2 * rev[a + 1];
        const j2 = 2 * rev[a + 2];
        const j3 = 2 * rev[a + 3];
        const x0r = (x[offset + j0] - mean) * win[j0];
        const x0i = (x[offset + j0 + 1] - mean) * win[j0 + 1];
        const x1r = (x[offset + j1] - mean) * win[j1];
        const x1i = (x[offset + j1 + 1] - mean) * win[j1 + 1];
        const x2r = (x[offset + j2] - mean) * win[j2];
        const x2i = (x[offset + j2 + 1] - mean) * win[j2 + 1];
        const x3r = (x[offset + j3] - mean) * win[j3];
        const x3i = (x[offset + j3 + 1] - mean) * win[j3 + 1];
        const b0r = x0r + x1r;
        const b0i = x0i + x1i;
        const b1r = x0r - x1r;
        const b1i = x0i - x1i;
        const b2r = x2r + x3r;
        const b2i = x2i + x3i;
        // (b3) * -i
        const u3r = x2i - x3i;
        const u3i = x3r - x2r;
        re[a] = b0r + b2r;
        im[a] = b0i + b2i;
        re[a + 2] = b0r - b2r;
        im[a + 2] = b0i - b2i;
        re[a + 1] = b1r + u3r;
        im[a + 1] = b1i + u3i;
        re[a + 3] = b1r - u3r;
        im[a + 3] = b1i - u3i;
      }
      size = 16;
    }
    // Fused stages L/2 and L: blocks of L, quarters q apart.
    const tw = this.tw;
    let t0 = 0;
    for (; size <= half; size <<= 2) {
      const q = size >> 2;
      for (let start = 0; start < half; start += size) {
        for (let k = 0, t = t0; k < q; k++, t += 4) {
          const w2r = tw[t];
          const w2i = tw[t + 1];
          const w1r = tw[t + 2];
          const w1i = tw[t + 3];
          const i0 = start + k;
          const i1 = i0 + q;
          const i2 = i1 + q;
          const i3 = i2 + q;
          const a0r = re[i0];
          const a0i = im[i0];
          const a1r = re[i1];
          const a1i = im[i1];
          const a2r = re[i2];
          const a2i = im[i2];
          const a3r = re[i3];
          const a3i = im[i3];
          // stage L/2: (i0, i1) and (i2, i3) with W_L^2k
          const t1r = a1r * w1r - a1i * w1i;
          const t1i = a1r * w1i + a1i * w1r;
          const t3r = a3r * w1r - a3i * w1i;
          const t3i = a3r * w1i + a3i * w1r;
          const b0r = a0r + t1r;
          const b0i = a0i + t1i;
          const b1r = a0r - t1r;
          const b1i = a0i - t1i;
          const b2r = a2r + t3r;
          const b2i = a2i + t3i;
          const b3r = a2r - t3r;
          const b3i = a2i - t3i;
          // stage L: (i0, i2) with W_L^k, (i1, i3) with W_L^(k + L/4) = -i W_L^k
          const u2r = b2r * w2r - b2i * w2i;
          const u2i = b2r * w2i + b2i * w2r;
          const v3r = b3r * w2r - b3i * w2i;
          const v3i = b3r * w2i + b3i * w2r;
          re[i0] = b0r + u2r;
          im[i0] = b0i + u2i;
          re[i2] = b0r - u2r;
          im[i2] = b0i - u2i;
          re[i1] = b1r + v3i;
          im[i1] = b1i - v3r;
          re[i3] = b1r - v3i;
          im[i3] = b1i + v3r;
        }
      }
      t0 += 4 * q;
    }
    // X[k] = E + W^k O and X[h-k] = conj(E - W^k O), E = (Z[k] + conj Z[h-k]) / 2, O = (Z[k] - conj Z[h-k]) / 2i.
    const dc = re[0] + im[0];
    const nyq = re[0] - im[0];
    out[0] = scale[0] * (dc * dc);
    out[half] = scale[half] * (nyq * nyq);
    const split = this.split;
    for (let k = 1, m = half - 1; k <= m; k++, m--) {
      const ar = re[k];
      const ai = im[k];
      const br = re[m];
      const bi = im[m];
      const er = 0.5 * (ar + br);
      const ei = 0.5 * (ai - bi);
      const or = 0.5 * (ai + bi);
      const oi = 0.5 * (br - ar);
      const wr = split[2 * k];
      const wi = split[2 * k + 1];
      const pr = wr * or - wi * oi;
      const pi = wr * oi + wi * or;
      const xr = er + pr;
      const xi = ei + pi;
      out[k] = scale[k] * (xr * xr + xi * xi);
      const yr = er - pr;
      const yi = ei - pi;
      out[m] = scale[m] * (yr * yr + yi * yi);
    }
  }

  private ones(): Float64Array {
    return (this.onesArray ??= new Float64Array(Math.max(this.n, this.bins)).fill(1));
  }
}
