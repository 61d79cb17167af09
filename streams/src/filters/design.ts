// Butterworth and notch design as second-order sections, ported step by step from
// scipy.signal (buttap -> lp2{lp,hp,bp,bs}_zpk -> bilinear_zpk -> zpk2sos with
// 'nearest' pairing) so coefficients and section order match scipy's butter(output='sos').
import { Complex, c, cabs, cadd, cconj, cdiv, cmul, cneg, cprod, cscale, csqrt, csub, isReal } from './complex';

/** One biquad: [b0, b1, b2, a0, a1, a2] (scipy layout; a0 is 1 after design). */
export type SosSection = [number, number, number, number, number, number];
export type Sos = SosSection[];
export type BandType = 'lowpass' | 'highpass' | 'bandpass' | 'bandstop';

export interface Zpk {
  z: Complex[];
  p: Complex[];
  k: number;
}

/** Analog Butterworth low-pass prototype, cutoff 1 rad/s. */
export function buttap(order: number): Zpk {
  const p: Complex[] = [];
  for (let m = -order + 1; m < order; m += 2) {
    const theta = (Math.PI * m) / (2 * order);
    // -exp(j*theta); m = 0 gives an exactly real pole.
    p.push({ re: -Math.cos(theta), im: -Math.sin(theta) });
  }
  return { z: [], p, k: 1 };
}

function lp2lp(f: Zpk, wo: number): Zpk {
  const degree = f.p.length - f.z.length;
  return { z: f.z.map((x) => cscale(x, wo)), p: f.p.map((x) => cscale(x, wo)), k: f.k * wo ** degree };
}

function lp2hp(f: Zpk, wo: number): Zpk {
  const degree = f.p.length - f.z.length;
  const z = f.z.map((x) => cdiv(c(wo), x));
  for (let i = 0; i < degree; i++) z.push(c(0));
  const k = f.k * cdiv(cprod(f.z.map(cneg)), cprod(f.p.map(cneg))).re;
  return { z, p: f.p.map((x) => cdiv(c(wo), x)), k };
}

// Shift each baseband root to +wo and -wo (shared by band-pass and band-stop).
function splitRoots(xs: Complex[], wo: number): Complex[] {
  const wo2 = c(wo ** 2);
  const plus = xs.map((x) => cadd(x, csqrt(csub(cmul(x, x), wo2))));
  const minus = xs.map((x) => csub(x, csqrt(csub(cmul(x, x), wo2))));
  return plus.concat(minus);
}

function lp2bp(f: Zpk, wo: number, bw: number): Zpk {
  const degree = f.p.length - f.z.length;
  const z = splitRoots(f.z.map((x) => cscale(cscale(x, bw), 0.5)), wo);
  const p = splitRoots(f.p.map((x) => cscale(cscale(x, bw), 0.5)), wo);
  for (let i = 0; i < degree; i++) z.push(c(0));
  return { z, p, k: f.k * bw ** degree };
}

function lp2bs(f: Zpk, wo: number, bw: number): Zpk {
  const degree = f.p.length - f.z.length;
  const half = c(bw / 2);
  const z = splitRoots(f.z.map((x) => cdiv(half, x)), wo);
  const p = splitRoots(f.p.map((x) => cdiv(half, x)), wo);
  for (let i = 0; i < degree; i++) z.push(c(0, wo));
  for (let i = 0; i < degree; i++) z.push(c(0, -wo));
  const k = f.k * cdiv(cprod(f.z.map(cneg)), cprod(f.p.map(cneg))).re;
  return { z, p, k };
}

function bilinear(f: Zpk, fs: number): Zpk {
  const degree = f.p.length - f.z.length;
  const fs2 = c(2 * fs);
  const z = f.z.map((x) => cdiv(cadd(fs2, x), csub(fs2, x)));
  const p = f.p.map((x) => cdiv(cadd(fs2, x), csub(fs2, x)));
  for (let i = 0; i < degree; i++) z.push(c(-1));
  const k = f.k * cdiv(cprod(f.z.map((x) => csub(fs2, x))), cprod(f.p.map((x) => csub(fs2, x)))).re;
  return { z, p, k };
}

function checkOrder(order: number): void {
  if (!Number.isInteger(order) || order < 1) throw new RangeError(`filter order must be a positive integer, got ${order}`);
}

/** Digital Butterworth zeros/poles/gain (scipy.signal.butter(..., output='zpk', fs=fsHz)). */
export function butterZpk(order: number, cutoffHz: number | [number, number], btype: BandType, fsHz: number): Zpk {
  checkOrder(order);
  if (!(fsHz > 0)) throw new RangeError(`fsHz must be > 0, got ${fsHz}`);
  const band = btype === 'bandpass' || btype === 'bandstop';
  const edges = typeof cutoffHz === 'number' ? [cutoffHz] : cutoffHz;
  if (band !== (edges.length === 2)) {
    throw new RangeError(`${btype} needs ${band ? 'two cutoff frequencies [low, high]' : 'one cutoff frequency'}`);
  }
  for (const f of edges) {
    if (!(f > 0 && f < fsHz / 2)) throw new RangeError(`cutoff ${f} Hz must satisfy 0 < f < fsHz/2 = ${fsHz / 2}`);
  }
  if (band && !(edges[0] < edges[1])) throw new RangeError(`band edges must be increasing, got [${edges.join(', ')}]`);
  // Normalise to Nyquist, then pre-warp for the bilinear transform at fs = 2 (as scipy does).
  const warped = edges.map((f) => 2 * 2 * Math.tan((Math.PI * (f / (fsHz / 2))) / 2));
  const proto = buttap(order);
  let analog: Zpk;
  if (btype === 'lowpass') analog = lp2lp(proto, warped[0]);
  else if (btype === 'highpass') analog = lp2hp(proto, warped[0]);
  else {
    const bw = warped[1] - warped[0];
    const wo = Math.sqrt(warped[0] * warped[1]);
    analog = btype === 'bandpass' ? lp2bp(proto, wo, bw) : lp2bs(proto, wo, bw);
  }
  return bilinear(analog, 2);
}

/** Digital Butterworth as second-order sections, same coefficients/order as scipy's butter(output='sos'). */
export function butterSos(order: number, cutoffHz: number | [number, number], btype: BandType, fsHz: number): Sos {
  return zpk2sos(butterZpk(order, cutoffHz, btype, fsHz));
}

/** scipy.signal.iirnotch(f0Hz, Q, fs=fsHz) as one section: -3 dB bandwidth f0Hz/Q. */
export function iirNotch(f0Hz: number, Q: number, fsHz: number): Sos {
  if (!(fsHz > 0)) throw new RangeError(`fsHz must be > 0, got ${fsHz}`);
  if (!(Q > 0)) throw new RangeError(`quality factor Q must be > 0, got ${Q}`);
  const w0n = (2 * f0Hz) / fsHz;
  if (!(w0n > 0 && w0n < 1)) throw new RangeError(`notch frequency ${f0Hz} Hz must satisfy 0 < f0 < fsHz/2 = ${fsHz / 2}`);
  const bw = (w0n / Q) * Math.PI;
  const w0 = w0n * Math.PI;
  const beta = Math.tan(bw / 2);
  const gain = 1 / (1 + beta);
  return [[gain, gain * (-2 * Math.cos(w0)), gain, 1, -2 * gain * Math.cos(w0), 2 * gain - 1]];
}

// ---- zpk2sos (scipy pairing='nearest') ----

const TOL = 100 * Number.EPSILON;

/** scipy _cplxreal: one member (imag > 0) of each conjugate pair, and the real roots. */
function cplxreal(zs: Complex[]): { zc: Complex[]; zr: Complex[] } {
  if (zs.length === 0) return { zc: [], zr: [] };
  const sorted = zs.slice().sort((a, b) => a.re - b.re || Math.abs(a.im) - Math.abs(b.im));
  const realMask = sorted.map((x) => Math.abs(x.im) <= TOL * cabs(x));
  const zr = sorted.filter((_, i) => realMask[i]).map((x) => c(x.re));
  const rest = sorted.filter((_, i) => !realMask[i]);
  const zp = rest.filter((x) => x.im > 0);
  const zn = rest.filter((x) => x.im < 0);
  if (zp.length !== zn.length) throw new Error('complex value with no matching conjugate');
  // Within runs of (nearly) equal real part, order by |imag| so pairs line up.
  let start = 0;
  for (let i = 1; i <= zp.length; i++) {
    const same = i < zp.length && zp[i].re - zp[i - 1].re <= TOL * cabs(zp[i - 1]);
    if (!same) {
      if (i - start > 1) {
        for (const arr of [zp, zn]) {
          const run = arr.slice(start, i).sort((a, b) => Math.abs(a.im) - Math.abs(b.im));
          arr.splice(start, run.length, ...run);
        }
      }
      start = i;
    }
  }
  const zc = zp.map((x, i) => {
    if (cabs(csub(x, cconj(zn[i]))) > TOL * cabs(zn[i])) throw new Error('complex value with no matching conjugate');
    return cscale(cadd(x, cconj(zn[i])), 0.5);
  });
  return { zc, zr };
}

function argminBy(xs: Complex[], f: (x: Complex) => number): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (f(xs[i]) < f(xs[best])) best = i;
  return best;
}

// "Worst" digital pole = closest to the unit circle.
const worstKey = (x: Complex): number => Math.abs(1 - cabs(x));

function nearestIdx(from: Complex[], to: Complex, which: 'real' | 'complex' | 'any'): number {
  const order = from.map((_, i) => i).sort((a, b) => cabs(csub(from[a], to)) - cabs(csub(from[b], to)));
  if (which === 'any') return order[0];
  const found = order.find((i) => isReal(from[i]) === (which === 'real'));
  if (found === undefined) throw new Error(`no ${which} root left to pair`);
  return found;
}

// poly() of up to two roots, real part (the roots are real or a conjugate pair).
function poly2(roots: Complex[]): number[] {
  if (roots.length === 1) return [1, -roots[0].re];
  const [r1, r2] = roots;
  return [1, -(r1.re + r2.re), cmul(r1, r2).re];
}

function singleSection(z: Complex[], p: Complex[]): SosSection {
  const s: SosSection = [0, 0, 0, 0, 0, 0];
  const b = z.length ? poly2(z) : [1];
  const a = poly2(p);
  b.forEach((v, i) => (s[3 - b.length + i] = v));
  a.forEach((v, i) => (s[6 - a.length + i] = v));
  return s;
}

/** scipy.signal.zpk2sos(z, p, k) with the default digital pairing 'nearest'. */
export function zpk2sos(zpk: Zpk): Sos {
  let z = zpk.z.slice();
  let p = zpk.p.slice();
  if (z.length === 0 && p.length === 0) return [[zpk.k, 0, 0, 1, 0, 0]];
  while (p.length < z.length) p.push(c(0));
  while (z.length < p.length) z.push(c(0));
  const nSections = (Math.max(p.length, z.length) + 1) >> 1;
  if (p.length % 2 === 1) {
    p.push(c(0));
    z.push(c(0));
  }
  const zs = cplxreal(z);
  const ps = cplxreal(p);
  z = zs.zc.concat(zs.zr);
  p = ps.zc.concat(ps.zr);
  const take = (arr: Complex[], i: number): Complex => arr.splice(i, 1)[0];

  const sos: Sos = new Array(nSections);
  // Fill from the last section backwards so the poles nearest the unit circle end up last.
  for (let si = nSections - 1; si >= 0; si--) {
    const p1 = take(p, argminBy(p, worstKey));
    const realLeft = p.filter(isReal).length;
    if (isReal(p1) && realLeft === 0) {
      // Last remaining real pole: pair with the nearest real zero (and an origin pole/zero).
      const z1 = take(z, nearestIdx(z, p1, 'real'));
      sos[si] = singleSection([z1, c(0)], [p1, c(0)]);
    } else if (p.length + 1 === z.length && !isReal(p1) && realLeft === 1 && z.filter(isReal).length === 1) {
      // One real pole and one real zero left: this complex pole must take a complex zero.
      const z1 = take(z, nearestIdx(z, p1, 'complex'));
      sos[si] = singleSection([z1, cconj(z1)], [p1, cconj(p1)]);
    } else {
      let p2: Complex;
      if (isReal(p1)) {
        const realIdx = p.map((x, i) => (isReal(x) ? i : -1)).filter((i) => i >= 0);
        const j = realIdx[argminBy(realIdx.map((i) => p[i]), worstKey)];
        p2 = take(p, j);
      } else {
        p2 = cconj(p1);
      }
      if (z.length > 0) {
        const z1 = take(z, nearestIdx(z, p1, 'any'));
        if (!isReal(z1)) {
          sos[si] = singleSection([z1, cconj(z1)], [p1, p2]);
        } else if (z.length > 0) {
          const z2 = take(z, nearestIdx(z, p1, 'real'));
          sos[si] = singleSection([z1, z2], [p1, p2]);
        } else {
          sos[si] = singleSection([z1], [p1, p2]);
        }
      } else {
        sos[si] = singleSection([], [p1, p2]);
      }
    }
  }
  for (let i = 0; i < 3; i++) sos[0][i] *= zpk.k;
  return sos;
}
