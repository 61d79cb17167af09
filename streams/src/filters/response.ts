// Frequency response of an SOS cascade (scipy.signal.sosfreqz at given frequencies).
import { Complex, cdiv, cmul, c } from './complex';
import { Sos } from './design';

export function sosResponse(sos: Sos, fHz: number, fsHz: number): Complex {
  const w = (2 * Math.PI * fHz) / fsHz;
  // z^-1 and z^-2 on the unit circle.
  const z1 = { re: Math.cos(w), im: -Math.sin(w) };
  const z2 = { re: Math.cos(2 * w), im: -Math.sin(2 * w) };
  let h = c(1);
  for (const [b0, b1, b2, a0, a1, a2] of sos) {
    const num = { re: b0 + b1 * z1.re + b2 * z2.re, im: b1 * z1.im + b2 * z2.im };
    const den = { re: a0 + a1 * z1.re + a2 * z2.re, im: a1 * z1.im + a2 * z2.im };
    h = cmul(h, cdiv(num, den));
  }
  return h;
}

/** |H(f)| of the cascade. */
export function sosGain(sos: Sos, fHz: number, fsHz: number): number {
  const h = sosResponse(sos, fHz, fsHz);
  return Math.hypot(h.re, h.im);
}

/** 20*log10 |H(f)|. */
export function sosGainDb(sos: Sos, fHz: number, fsHz: number): number {
  return 20 * Math.log10(sosGain(sos, fHz, fsHz));
}
