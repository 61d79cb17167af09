// Zero-phase forward-backward filtering for offline use (scipy.signal.sosfiltfilt, method='pad').
import { Sos } from './design';
import { flattenSos, sosfiltInPlace, sosfiltZi } from './sosfilt';

export type PadType = 'odd' | 'even' | 'constant' | 'none';

export interface SosfiltfiltOptions {
  /** Samples of extension at each end; default = scipy's defaultPadlen(sos). */
  padlen?: number;
  padtype?: PadType;
}

/**
 * scipy's default: 3 * ntaps with ntaps = 2*nSections + 1 minus the smaller of
 * (sections with b2 == 0, sections with a2 == 0). Order-4 band-pass (4 sections): 27.
 */
export function defaultPadlen(sos: Sos): number {
  const zb = sos.filter((s) => s[2] === 0).length;
  const za = sos.filter((s) => s[5] === 0).length;
  return 3 * (2 * sos.length + 1 - Math.min(zb, za));
}

function extend(x: Float64Array, n: number, padtype: PadType): Float64Array {
  const L = x.length;
  const ext = new Float64Array(L + 2 * n);
  const first = x[0];
  const last = x[L - 1];
  for (let i = 0; i < n; i++) {
    const l = x[n - i];
    const r = x[L - 2 - i];
    if (padtype === 'odd') {
      ext[i] = 2 * first - l;
      ext[n + L + i] = 2 * last - r;
    } else if (padtype === 'even') {
      ext[i] = l;
      ext[n + L + i] = r;
    } else {
      ext[i] = first;
      ext[n + L + i] = last;
    }
  }
  ext.set(x, n);
  return ext;
}

export function sosfiltfilt(sos: Sos, x: ArrayLike<number>, options: SosfiltfiltOptions = {}): Float64Array {
  const padtype = options.padtype ?? 'odd';
  const edge = padtype === 'none' ? 0 : (options.padlen ?? defaultPadlen(sos));
  if (!Number.isInteger(edge) || edge < 0) throw new RangeError(`padlen must be a non-negative integer, got ${edge}`);
  if (x.length <= edge) {
    throw new RangeError(`the length of the input (${x.length}) must be greater than padlen (${edge})`);
  }
  const coef = flattenSos(sos);
  const zi = sosfiltZi(sos);
  const src = Float64Array.from(x);
  const y = edge > 0 ? extend(src, edge, padtype) : src;
  const state = new Float64Array(zi.length);
  // Forward pass, starting in steady state for the first (extended) sample.
  const y0 = y[0];
  for (let i = 0; i < zi.length; i++) state[i] = zi[i] * y0;
  sosfiltInPlace(coef, state, y);
  // Backward pass on the reversed output, steady state for its first sample.
  y.reverse();
  const yl = y[0];
  for (let i = 0; i < zi.length; i++) state[i] = zi[i] * yl;
  sosfiltInPlace(coef, state, y);
  y.reverse();
  return edge > 0 ? y.slice(edge, edge + src.length) : y;
}

/** sosfiltfilt on every channel of a channel-major recording. */
export function sosfiltfiltChannels(sos: Sos, channels: ReadonlyArray<ArrayLike<number>>, options: SosfiltfiltOptions = {}): Float64Array[] {
  return channels.map((ch) => sosfiltfilt(sos, ch, options));
}
