// The allocation-free inference kernels (kernels.ts, symEigInPlace) against the reference
// implementations used for training (covariance.ts, linalg.ts, riemann.ts) and ml-matrix, on random
// SPD matrices and on real covariances (S001 run 4); and TS+LR / MDM probabilities against the
// previous inference path.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { readEdf } from '../edf';
import { LEFT_RIGHT_CODES, miEpochsFromRecording } from '../eval/miData';
import { mulberry32 } from '../eval/rng';
import { ledoitWolf } from './covariance';
import { abt, congruenceInto, distanceSqWhitened, ledoitWolfInto, RiemannScratch, symEigInvIt, tangentVectorInto } from './kernels';
import { softmax } from './lda';
import { congruence, invsqrtm, symEig } from './linalg';
import { logRegProba } from './logreg';
import { AlignedTangentSpaceLr } from './alignedTangentSpaceLr';
import { Mdm } from './mdm';
import { MOTOR_STRIP, motorStripIndices } from './train';
import { distanceRiemannWhitened, meanRiemann, tangentDim, tangentVector } from './riemann';
import { symEigInPlace } from './symEig';
import { TangentSpaceLr } from './tangentSpaceLr';
import type { Epoch } from './types';

const FIX = path.join(__dirname, '../../../tests/fixtures/eeg');
const load = (run: number) =>
  miEpochsFromRecording(readEdf(new Uint8Array(fs.readFileSync(path.join(FIX, `S001R${String(run).padStart(2, '0')}.edf`)))), {
    band: [8, 30],
    order: 4,
    padlen: 80,
    tminS: 0.5,
    tmaxS: 2.5,
    codes: LEFT_RIGHT_CODES,
  });

function randomSpd(n: number, seed: number): Float64Array {
  const rng = mulberry32(seed);
  const a = new Float64Array(n * n).map(() => rng() - 0.5);
  const s = new Float64Array(n * n);
  abt(a, a, n, n, s, true);
  for (let i = 0; i < n; i++) s[i * n + i] += 0.05;
  return s;
}
const maxAbs = (a: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
};
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

/** V·diag(d)·Vᵀ − A and V·Vᵀ − I (max abs) for eigenvectors as rows of v. */
function eigResiduals(A: Float64Array, n: number, d: ArrayLike<number>, v: Float64Array): { recon: number; orth: number } {
  const Vt = new Float64Array(n * n);
  const VtD = new Float64Array(n * n);
  for (let k = 0; k < n; k++)
    for (let i = 0; i < n; i++) {
      Vt[i * n + k] = v[k * n + i];
      VtD[i * n + k] = d[k] * v[k * n + i];
    }
  const R = new Float64Array(n * n);
  abt(VtD, Vt, n, n, R, false);
  const I = new Float64Array(n * n);
  abt(v, v, n, n, I, true);
  for (let i = 0; i < n; i++) I[i * n + i] -= 1;
  return { recon: maxDiff(R, A), orth: maxAbs(I) };
}

/**
 * Checks both fast eigensolvers against the reference symEig (JAMA tred2/tql2) and ml-matrix:
 * symEigInPlace (same algorithm, in place; eigenvalues-only mode) and symEigInvIt (QL eigenvalues +
 * tridiagonal inverse iteration): eigenvalues to 1e-10 (relative to the spectral radius),
 * reconstruction and orthonormality.
 */
function checkEig(A: Float64Array, n: number): void {
  const old = symEig(A, n);
  const scale = maxAbs(old.values);
  const ml = new EigenvalueDecomposition(new Matrix(Array.from({ length: n }, (_, i) => Array.from(A.subarray(i * n, i * n + n)))), {
    assumeSymmetric: true,
  }).realEigenvalues;
  expect(maxDiff(old.values, ml)).toBeLessThanOrEqual(1e-10 * scale);
  // symEigInPlace: same algorithm, bit-identical values and vectors.
  const v = new Float64Array(A);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  symEigInPlace(v, n, d, e, true);
  expect(Array.from(d)).toEqual(Array.from(old.values));
  expect(Array.from(v)).toEqual(Array.from(old.vectors));
  const v2 = new Float64Array(A);
  const d2 = new Float64Array(n);
  symEigInPlace(v2, n, d2, e, false);
  expect(Array.from(d2)).toEqual(Array.from(old.values));
  // symEigInvIt
  const ws = new RiemannScratch(n);
  const U = new Float64Array(n * n);
  symEigInvIt(new Float64Array(A), n, ws, U);
  expect(maxDiff(ws.d, old.values)).toBeLessThanOrEqual(1e-10 * scale);
  for (let k = 1; k < n; k++) expect(ws.d[k]).toBeGreaterThanOrEqual(ws.d[k - 1]);
  const r = eigResiduals(A, n, ws.d, U);
  const r0 = eigResiduals(A, n, old.values, old.vectors);
  expect(r.recon).toBeLessThanOrEqual(Math.max(1e-13 * n * scale, 4 * r0.recon));
  expect(r.orth).toBeLessThan(1e-12 * n);
}

describe('inference kernels', () => {
  const r4 = load(4);
  const covs = r4.epochs.map((ep) => ledoitWolf(ep).covariance);
  const n = 64;

  it('abt matches naive A·Bᵀ (full and upper, n not a multiple of 4)', () => {
    for (const [m, K] of [
      [7, 5],
      [12, 33],
      [64, 64],
    ]) {
      const rng = mulberry32(m * 100 + K);
      const a = new Float64Array(m * K).map(() => rng() - 0.5);
      const b = new Float64Array(m * K).map(() => rng() - 0.5);
      const out = new Float64Array(m * m);
      abt(a, b, m, K, out, false);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < m; j++) {
          let s = 0;
          for (let k = 0; k < K; k++) s += a[i * K + k] * b[j * K + k];
          expect(out[i * m + j]).toBeCloseTo(s, 12);
        }
      abt(a, a, m, K, out, true);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < m; j++) {
          let s = 0;
          for (let k = 0; k < K; k++) s += a[i * K + k] * a[j * K + k];
          expect(out[i * m + j]).toBeCloseTo(s, 12);
        }
    }
  });

  it('eigensolvers match symEig and ml-matrix on random SPD and symmetric matrices', () => {
    for (const [m, seed] of [
      [1, 1],
      [2, 1],
      [5, 1],
      [13, 2],
      [21, 3],
      [64, 4],
      [64, 5],
    ]) {
      checkEig(randomSpd(m, seed), m);
      const rng = mulberry32(seed + 100);
      const a = new Float64Array(m * m);
      for (let i = 0; i < m; i++) for (let j = i; j < m; j++) a[i * m + j] = a[j * m + i] = rng() - 0.5;
      checkEig(a, m); // indefinite, eigenvalues of both signs
    }
  });

  it('eigensolvers handle repeated and clustered eigenvalues', () => {
    for (const m of [8, 64]) {
      // I + rank-1: eigenvalue 1 with multiplicity m−1; diagonal with a tight cluster; zero matrix
      const a = new Float64Array(m * m);
      for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) a[i * m + j] = (i === j ? 1 : 0) + ((i % 3) * (j % 3)) / 10;
      checkEig(a, m);
      const b = randomSpd(m, 9);
      const P = invsqrtm(b, m);
      const w = congruence(P, b, m); // ≈ I up to round-off: one cluster of m eigenvalues
      checkEig(w, m);
      checkEig(new Float64Array(m * m), m);
      const c = new Float64Array(m * m);
      for (let i = 0; i < m; i++) c[i * m + i] = 1 + (i % 4) * 1e-9;
      checkEig(c, m);
    }
  });

  it('eigensolvers match on real covariances and whitened covariances (S001R04)', () => {
    const P = invsqrtm(meanRiemann(covs, n), n);
    for (let i = 0; i < covs.length; i += 5) {
      checkEig(covs[i], n);
      checkEig(congruence(P, covs[i], n), n);
    }
  });

  it('ledoitWolfInto and congruenceInto match covariance.ts / linalg.ts', () => {
    const ws = new RiemannScratch(n);
    for (const ep of r4.epochs) {
      const ref = ledoitWolf(ep).covariance;
      expect(maxDiff(ledoitWolfInto(ep.data, n, ep.nSamples, ws), ref)).toBeLessThanOrEqual(1e-13 * maxAbs(ref));
    }
    // 7 channels (remainder path of the blocked kernel)
    const small: Epoch = { data: r4.epochs[0].data.slice(0, 7 * 320), nChannels: 7, nSamples: 320 };
    const ref7 = ledoitWolf(small).covariance;
    expect(maxDiff(ledoitWolfInto(small.data, 7, 320, new RiemannScratch(7)), ref7)).toBeLessThanOrEqual(1e-13 * maxAbs(ref7));
    const P = invsqrtm(covs[0], n);
    const out = new Float64Array(n * n);
    const ref = congruence(P, covs[3], n);
    expect(maxDiff(congruenceInto(P, covs[3], n, out, new Float64Array(n * n)), ref)).toBeLessThanOrEqual(1e-13 * maxAbs(ref));
  });

  it('tangentVectorInto and distanceSqWhitened match riemann.ts', () => {
    const ws = new RiemannScratch(n);
    const P = invsqrtm(meanRiemann(covs, n), n);
    const out = new Float64Array(tangentDim(n));
    for (const c of covs) {
      expect(maxDiff(tangentVectorInto(c, P, n, ws, out), tangentVector(c, P, n))).toBeLessThan(1e-11);
      const d = distanceRiemannWhitened(c, P, n);
      expect(Math.abs(distanceSqWhitened(c, P, n, ws) - d * d)).toBeLessThan(1e-11 * d * d);
    }
  });

  it('TS+LR, MDM and motor-strip RA-TS+LR probabilities equal the previous inference path to 1e-9 (S001, 4+8 → 12)', () => {
    const r8 = load(8);
    const te = load(12).epochs;
    const X = [...r4.epochs, ...r8.epochs];
    const y = [...r4.labels, ...r8.labels];
    const ts = new TangentSpaceLr().fit(X, y);
    const sTs = ts.toArtifact().state;
    const P = Float64Array.from(sTs.referenceInvSqrt);
    const mdm = new Mdm().fit(X, y);
    const sMdm = mdm.toArtifact().state;
    const W = sMdm.meansInvSqrt.map((w) => Float64Array.from(w));
    const idx = motorStripIndices(load(4).channels);
    expect(idx).toHaveLength(MOTOR_STRIP.length);
    const ra = new AlignedTangentSpaceLr({ channelIndices: idx }).fit(X, y);
    const sRa = ra.toArtifact().state;
    const Pra = Float64Array.from(sRa.referenceInvSqrt);
    for (const ep of [...te, ...X.slice(0, 10)]) {
      const sub = new Float64Array(idx.length * ep.nSamples);
      idx.forEach((ch, i) => sub.set(ep.data.subarray(ch * ep.nSamples, (ch + 1) * ep.nSamples), i * ep.nSamples));
      const cRa = ledoitWolf({ data: sub, nChannels: idx.length, nSamples: ep.nSamples }).covariance;
      expect(maxDiff(ra.predictProba(ep), logRegProba(sRa.lr, tangentVector(cRa, Pra, idx.length)))).toBeLessThan(1e-9);
      const c = ledoitWolf(ep).covariance;
      const pTs = logRegProba(sTs.lr, tangentVector(c, P, n));
      expect(maxDiff(ts.predictProba(ep), pTs)).toBeLessThan(1e-9);
      const pMdm = softmax(W.map((w) => -(distanceRiemannWhitened(c, w, n) ** 2)));
      expect(maxDiff(mdm.predictProba(ep), pMdm)).toBeLessThan(1e-9);
    }
  });
});
