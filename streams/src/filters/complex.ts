// Minimal complex arithmetic for filter design (poles/zeros), mirroring numpy's results.
export interface Complex {
  re: number;
  im: number;
}

export const c = (re: number, im = 0): Complex => ({ re, im });
export const cadd = (a: Complex, b: Complex): Complex => ({ re: a.re + b.re, im: a.im + b.im });
export const csub = (a: Complex, b: Complex): Complex => ({ re: a.re - b.re, im: a.im - b.im });
export const cmul = (a: Complex, b: Complex): Complex => ({ re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re });
export const cscale = (a: Complex, k: number): Complex => ({ re: a.re * k, im: a.im * k });
export const cneg = (a: Complex): Complex => ({ re: -a.re, im: -a.im });
export const cconj = (a: Complex): Complex => ({ re: a.re, im: -a.im });
export const cabs = (a: Complex): number => Math.hypot(a.re, a.im);
export const isReal = (a: Complex): boolean => a.im === 0;

/** Smith's algorithm: avoids overflow/underflow in |b|^2. */
export function cdiv(a: Complex, b: Complex): Complex {
  if (Math.abs(b.re) >= Math.abs(b.im)) {
    const r = b.im / b.re;
    const d = b.re + b.im * r;
    return { re: (a.re + a.im * r) / d, im: (a.im - a.re * r) / d };
  }
  const r = b.re / b.im;
  const d = b.re * r + b.im;
  return { re: (a.re * r + a.im) / d, im: (a.im * r - a.re) / d };
}

/** Principal square root (branch cut on the negative real axis; sign of imag follows input like C csqrt). */
export function csqrt(a: Complex): Complex {
  if (a.re === 0 && a.im === 0) return { re: 0, im: a.im };
  const t = Math.sqrt((Math.abs(a.re) + cabs(a)) / 2);
  if (a.re >= 0) return { re: t, im: a.im / (2 * t) };
  const im = Object.is(a.im, -0) || a.im < 0 ? -t : t;
  return { re: Math.abs(a.im) / (2 * t), im };
}

export function cprod(xs: Complex[]): Complex {
  let acc = c(1);
  for (const x of xs) acc = cmul(acc, x);
  return acc;
}
