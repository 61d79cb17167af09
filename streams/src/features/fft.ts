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
      let t = re[i]; re[i] = re[j]; re[j] = t;
      t = im[i]; im[i] = im[j]; im[j] = t;
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
  plan = { n, m, core, chirpRe, chirpIm, bRe, bIm };
  bluesteinPlans.set(n, plan);
  return plan;
}

function bluestein(plan: BluesteinPlan, re: Float64Array, im: Float64Array): void {
  const { n, m, core, chirpRe, chirpIm, bRe, bIm } = plan;
  const aRe = new Float64Array(m);
  const aIm = new Float64Array(m);
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
