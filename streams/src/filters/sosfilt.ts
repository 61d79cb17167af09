// Causal SOS filtering: Direct Form II transposed biquads, same arithmetic as scipy.signal.sosfilt.
import { Sos } from './design';

/** Validated flat coefficients [b0 b1 b2 a0 a1 a2]*n with a0 normalised to 1. */
export function flattenSos(sos: Sos): Float64Array {
  if (sos.length === 0) throw new RangeError('sos must have at least one section');
  const out = new Float64Array(sos.length * 6);
  sos.forEach((s, i) => {
    if (s.length !== 6 || !s.every(Number.isFinite)) throw new RangeError(`sos section ${i} must be 6 finite numbers`);
    const a0 = s[3];
    if (a0 === 0) throw new RangeError(`sos section ${i} has a0 = 0`);
    for (let j = 0; j < 6; j++) out[i * 6 + j] = s[j] / a0;
  });
  return out;
}

/**
 * scipy.signal.sosfilt_zi: state (2 per section) giving the step-response steady
 * state for a unit input; multiply by the first sample to start without a transient.
 */
export function sosfiltZi(sos: Sos): Float64Array {
  const f = flattenSos(sos);
  const n = sos.length;
  const zi = new Float64Array(2 * n);
  let scale = 1;
  for (let s = 0; s < n; s++) {
    const [b0, b1, b2, , a1, a2] = f.subarray(s * 6, s * 6 + 6);
    // lfilter_zi for a biquad: solve (I - A^T) zi = b[1:] - a[1:]*b0.
    const B0 = b1 - a1 * b0;
    const B1 = b2 - a2 * b0;
    const z0 = (B0 + B1) / (1 + a1 + a2);
    zi[2 * s] = scale * z0;
    zi[2 * s + 1] = scale * (B1 - a2 * z0);
    scale *= (b0 + b1 + b2) / (1 + a1 + a2);
  }
  return zi;
}

const SUBNORMAL_GUARD = 1e-300;

/**
 * Hot loop: filters buf[start:end] in place through all sections, updating state.
 * Section-outer order keeps coefficients and state in registers; each element sees
 * the same operations as scipy's sample-outer loop, so results are identical.
 */
export function sosfiltInPlace(coef: Float64Array, state: Float64Array, buf: Float64Array, start = 0, end = buf.length): void {
  const nSec = coef.length / 6;
  for (let s = 0; s < nSec; s++) {
    const o = s * 6;
    const b0 = coef[o], b1 = coef[o + 1], b2 = coef[o + 2], a1 = coef[o + 4], a2 = coef[o + 5];
    let z0 = state[2 * s], z1 = state[2 * s + 1];
    for (let i = start; i < end; i++) {
      const x = buf[i];
      const y = b0 * x + z0;
      z0 = b1 * x - a1 * y + z1;
      z1 = b2 * x - a2 * y;
      buf[i] = y;
    }
    // With silent input (e.g. a disconnected channel sending zeros) the state decays
    // into subnormal numbers, which make x86 float math ~100x slower. Flush them at the
    // end of each call; the effect on the output is below 1e-300.
    state[2 * s] = Math.abs(z0) < SUBNORMAL_GUARD ? 0 : z0;
    state[2 * s + 1] = Math.abs(z1) < SUBNORMAL_GUARD ? 0 : z1;
  }
}

/** One-shot single-channel sosfilt; zi (2 per section) defaults to zeros. Returns output and final state. */
export function sosfilt(sos: Sos, x: ArrayLike<number>, zi?: ArrayLike<number>): { y: Float64Array; zf: Float64Array } {
  const coef = flattenSos(sos);
  const zf = new Float64Array(2 * sos.length);
  if (zi) {
    if (zi.length !== zf.length) throw new RangeError(`zi must have ${zf.length} values (2 per section)`);
    zf.set(zi);
  }
  const y = Float64Array.from(x);
  sosfiltInPlace(coef, zf, y);
  return { y, zf };
}
