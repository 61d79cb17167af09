// Typed view of reference/reference.json (scipy outputs written by reference/make_reference.py).
import type { BandType, SosSection } from './design';
import raw from './reference/reference.json';

export interface ReferenceDesign {
  order: number;
  btype: BandType;
  cutoffHz: number | [number, number];
  fsHz: number;
  sos: SosSection[];
}
export interface ReferenceNotch {
  f0Hz: number;
  Q: number;
  fsHz: number;
  b: number[];
  a: number[];
}
export interface ReferenceRun {
  order?: number;
  btype?: BandType;
  cutoffHz?: number | [number, number];
  notch?: boolean;
  f0Hz?: number;
  Q?: number;
  fsHz: number;
  sos: SosSection[];
  x: number[];
  sosfilt: number[];
  zi: number[][];
  sosfiltSteady: number[];
  sosfiltfilt: number[];
  sosfiltfiltPad80: number[];
  sosfiltfiltPad0: number[];
}
export interface ReferenceWelch {
  fsHz: number;
  nperseg: number;
  noverlap: number | null;
  n: number;
  freqs: number[];
  psd: number[];
}
export interface Reference {
  scipy: string;
  designs: ReferenceDesign[];
  notches: ReferenceNotch[];
  runs: ReferenceRun[];
  welch: ReferenceWelch[];
}

export const reference = raw as unknown as Reference;

/** Largest |a-b| relative to the largest |b| (so near-zero entries do not blow up the ratio). */
export function maxRelError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let scale = 0;
  let err = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  for (let i = 0; i < b.length; i++) err = Math.max(err, Math.abs(a[i] - b[i]));
  return scale === 0 ? err : err / scale;
}
