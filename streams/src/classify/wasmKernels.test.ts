// The WebAssembly SIMD kernels (wasm/riemann.as.ts) against the JS kernels (kernels.ts) on random SPD
// matrices and real-sized inputs (64×320 EEG windows of S001 run 4, their whitened covariances), and
// the committed riemann.wasm against a fresh build of its source.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readEdf } from '../edf';
import { LEFT_RIGHT_CODES, miEpochsFromRecording } from '../eval/miData';
import { mulberry32 } from '../eval/rng';
import { ledoitWolf } from './covariance';
import {
  abt,
  congruenceInto,
  distanceSqWhitenedJs,
  ledoitWolfIntoJs,
  lwTangentVectorInto,
  RiemannScratch,
  tangentVectorIntoJs,
} from './kernels';
import { congruence, invsqrtm } from './linalg';
import { householderTridiagonal, tridiagonalEigenvalues } from './symEig';
import { meanRiemann, tangentDim } from './riemann';
import {
  abtWasm,
  congruenceWasm,
  distanceSqWhitenedWasm,
  ledoitWolfWasm,
  lwTangentVectorWasm,
  setWasmKernelsEnabled,
  tangentVectorWasm,
  tridiagonalEigenvaluesWasm,
  WASM_PATH,
  wasmKernelsEnabled,
} from './wasmKernels';

const ROOT = path.join(__dirname, '../../..');
const epochs = miEpochsFromRecording(readEdf(new Uint8Array(fs.readFileSync(path.join(ROOT, 'tests/fixtures/eeg/S001R04.edf')))), {
  band: [8, 30],
  order: 4,
  padlen: 80,
  tminS: 0.5,
  tmaxS: 2.5,
  codes: LEFT_RIGHT_CODES,
}).epochs;

function randomSpd(n: number, seed: number): Float64Array {
  const rng = mulberry32(seed);
  const a = new Float64Array(n * n).map(() => rng() - 0.5);
  const s = new Float64Array(n * n);
  abt(a, a, n, n, s, true);
  for (let i = 0; i < n; i++) s[i * n + i] += 0.05;
  return s;
}
/** max |a − b| / max |b| */
function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  let s = 0;
  for (let i = 0; i < b.length; i++) {
    m = Math.max(m, Math.abs(a[i] - b[i]));
    s = Math.max(s, Math.abs(b[i]));
  }
  return s === 0 ? m : m / s;
}

describe('wasm inference kernels', () => {
  it('load (WebAssembly SIMD is available on every supported Node)', () => {
    expect(wasmKernelsEnabled()).toBe(true);
    expect(setWasmKernelsEnabled(false)).toBe(true);
    expect(wasmKernelsEnabled()).toBe(false);
    setWasmKernelsEnabled(true);
    expect(wasmKernelsEnabled()).toBe(true);
  });

  it('abt equals the JS kernel (full and upper; odd sizes)', () => {
    for (const [n, K] of [
      [1, 1],
      [3, 7],
      [7, 5],
      [12, 33],
      [21, 320],
      [64, 64],
      [64, 320],
    ]) {
      const rng = mulberry32(n * 1000 + K);
      const a = new Float64Array(n * K).map(() => rng() - 0.5);
      const b = new Float64Array(n * K).map(() => rng() - 0.5);
      const js = new Float64Array(n * n);
      const wa = new Float64Array(n * n);
      abt(a, b, n, K, js, false);
      expect(relDiff(abtWasm(a, b, n, K, wa, false), js)).toBeLessThan(1e-13);
      abt(a, a, n, K, js, true);
      expect(relDiff(abtWasm(a, a, n, K, wa, true), js)).toBeLessThan(1e-13);
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(wa[i * n + j]).toBe(wa[j * n + i]);
    }
  });

  it('Ledoit-Wolf covariance equals the JS kernel on real 64×320 windows and channel subsets', () => {
    for (const n of [64, 21, 7, 1]) {
      const ws = new RiemannScratch(n);
      const out = new Float64Array(n * n);
      for (const ep of epochs.slice(0, 10)) {
        const data = ep.data.subarray(0, n * ep.nSamples);
        const js = Float64Array.from(ledoitWolfIntoJs(data, n, ep.nSamples, ws));
        expect(relDiff(ledoitWolfWasm(data, n, ep.nSamples, out), js)).toBeLessThan(1e-13);
      }
    }
    // odd window length
    const ep = epochs[0];
    const n = 64;
    const T = 317;
    const data = new Float64Array(n * T);
    for (let i = 0; i < n; i++) data.set(ep.data.subarray(i * 320, i * 320 + T), i * T);
    const js = Float64Array.from(ledoitWolfIntoJs(data, n, T, new RiemannScratch(n)));
    expect(relDiff(ledoitWolfWasm(data, n, T, new Float64Array(n * n)), js)).toBeLessThan(1e-13);
    expect(relDiff(js, ledoitWolf({ data, nChannels: n, nSamples: T }).covariance)).toBeLessThan(1e-12);
  });

  const n = 64;
  const covs = epochs.map((ep) => ledoitWolf(ep).covariance);
  const P = invsqrtm(meanRiemann(covs, n), n);

  it('the fused Ledoit-Wolf + tangent vector (covariance kept in wasm memory) equals the two kernels in turn', () => {
    const ws = new RiemannScratch(n);
    const cov = new Float64Array(n * n);
    const tv = new Float64Array(tangentDim(n));
    const fused = new Float64Array(tangentDim(n));
    for (const ep of epochs.slice(0, 5)) {
      ledoitWolfWasm(ep.data, n, ep.nSamples, cov);
      expect(tangentVectorWasm(cov, P, n, tv)).toBe(true);
      expect(lwTangentVectorWasm(ep.data, n, ep.nSamples, P, fused, ws.cov)).toBe(true);
      expect(fused).toEqual(tv); // the same kernels on the same inputs: bit-identical
      // the dispatcher, wasm and JS
      expect(lwTangentVectorInto(ep.data, n, ep.nSamples, P, ws, new Float64Array(tangentDim(n)))).toEqual(tv);
      const was = setWasmKernelsEnabled(false);
      try {
        const js = tangentVectorIntoJs(
          Float64Array.from(ledoitWolfIntoJs(ep.data, n, ep.nSamples, ws)),
          P,
          n,
          ws,
          new Float64Array(tangentDim(n)),
        );
        expect(lwTangentVectorInto(ep.data, n, ep.nSamples, P, ws, new Float64Array(tangentDim(n)))).toEqual(js);
        expect(relDiff(tv, js)).toBeLessThan(1e-12);
      } finally {
        setWasmKernelsEnabled(was);
      }
    }
  });

  it('congruence P·C·P equals the JS kernel', () => {
    for (const c of covs.slice(0, 5)) {
      const js = congruenceInto(P, c, n, new Float64Array(n * n), new Float64Array(n * n));
      expect(relDiff(congruenceWasm(P, c, n, new Float64Array(n * n)), js)).toBeLessThan(1e-13);
    }
  });

  /** Tangent vectors (relative to their largest entry) and squared distances, wasm vs JS. */
  function checkTangent(c: Float64Array, p: Float64Array, m: number, tol = 1e-12): void {
    const ws = new RiemannScratch(m);
    const js = tangentVectorIntoJs(c, p, m, ws, new Float64Array(tangentDim(m)));
    const wa = new Float64Array(tangentDim(m));
    expect(tangentVectorWasm(c, p, m, wa)).toBe(true);
    expect(relDiff(wa, js)).toBeLessThan(tol);
    const dj = distanceSqWhitenedJs(c, p, m, ws);
    expect(Math.abs(distanceSqWhitenedWasm(c, p, m) - dj)).toBeLessThanOrEqual(tol * dj);
  }

  it('tangent vectors and distances equal the JS kernels on real covariances (S001R04, 64 ch)', () => {
    for (const c of covs) checkTangent(c, P, n);
    // at another reference (one trial's covariance): a wider spread of eigenvalues
    const P0 = invsqrtm(covs[0], n);
    for (const c of covs.slice(1, 10)) checkTangent(c, P0, n);
  });

  it('tangent vectors and distances equal the JS kernels on random SPD matrices (various sizes)', () => {
    for (const [m, seed] of [
      [1, 1],
      [2, 2],
      [5, 3],
      [13, 4],
      [21, 5],
      [64, 6],
      [64, 7],
      [65, 8], // beyond the precomputed start vectors (n² > 4096): generated on the fly
    ]) {
      const ref = randomSpd(m, seed + 50);
      checkTangent(randomSpd(m, seed), invsqrtm(ref, m), m);
    }
  });

  it('clustered eigenvalues: the whitened reference itself (P·C·P ≈ I)', () => {
    const c = randomSpd(n, 9);
    const p = invsqrtm(c, n);
    const w = congruence(p, c, n);
    const ws = new RiemannScratch(n);
    const js = tangentVectorIntoJs(c, p, n, ws, new Float64Array(tangentDim(n)));
    const wa = new Float64Array(tangentDim(n));
    expect(tangentVectorWasm(c, p, n, wa)).toBe(true);
    // logm(≈ I) ≈ 0: compare absolutely, at the scale of the round-off in w
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) off = Math.max(off, Math.abs(w[i * n + j] - (i === j ? 1 : 0)));
    for (let i = 0; i < js.length; i++) expect(Math.abs(wa[i] - js[i])).toBeLessThan(1e-12 + 10 * off);
  });

  /** Eigenvalues of the tridiagonal (d, e): wasm root-free QL/QR vs wasm QL vs JS QL, per eigenvalue relative to ‖T‖ and to itself. */
  function checkTridiagonal(d: Float64Array, e: Float64Array, m: number, relTol: number): void {
    const js = Float64Array.from(d);
    tridiagonalEigenvalues(js, Float64Array.from(e), m);
    const ql = Float64Array.from(d);
    const pwk = Float64Array.from(d);
    expect(tridiagonalEigenvaluesWasm(ql, e, m, 'ql')).toBe(true);
    expect(tridiagonalEigenvaluesWasm(pwk, e, m, 'pwk')).toBe(true);
    let norm = 0;
    for (let i = 0; i < m; i++) norm = Math.max(norm, Math.abs(d[i]) + Math.abs(e[i] ?? 0) + Math.abs(e[i + 1] ?? 0));
    for (let i = 0; i < m; i++) {
      if (i > 0) expect(pwk[i]).toBeGreaterThanOrEqual(pwk[i - 1]);
      expect(Math.abs(ql[i] - js[i])).toBeLessThanOrEqual(1e-14 * norm);
      expect(Math.abs(pwk[i] - js[i])).toBeLessThanOrEqual(Math.max(relTol * Math.abs(js[i]), 1e-14 * norm));
    }
  }

  it('root-free QL/QR eigenvalues equal the QL ones to ~1e-14 relative (real whitened covariances, edge cases)', () => {
    const d = new Float64Array(n);
    const e = new Float64Array(n);
    // eigenvalues of P·C·P feed log(): each to 2e-14 of itself
    for (const c of covs) {
      householderTridiagonal(congruence(P, c, n), n, d, e, false);
      checkTridiagonal(d, e, n, 2e-14);
    }
    const P0 = invsqrtm(covs[0], n);
    for (const c of covs.slice(1, 10)) {
      householderTridiagonal(congruence(P0, c, n), n, d, e, false);
      checkTridiagonal(d, e, n, 2e-14);
    }
    const rng = mulberry32(77);
    const cases: { m: number; d: (i: number) => number; e: (i: number) => number; tol: number; what: string }[] = [
      { m: 1, d: () => 3, e: () => 0, tol: 0, what: '1×1' },
      { m: 2, d: (i) => i + 1, e: () => 0.5, tol: 1e-15, what: '2×2' },
      { m: 2, d: () => 0, e: () => 0, tol: 0, what: 'zero matrix' },
      { m: 5, d: (i) => 5 - i, e: () => 0, tol: 0, what: 'diagonal, unsorted' },
      { m: 13, d: () => 1, e: () => 1e-9, tol: 1e-14, what: 'tight cluster' },
      { m: 31, d: () => rng() - 0.5, e: () => rng() - 0.5, tol: 1e-12, what: 'indefinite (relative only away from 0)' },
      { m: 40, d: (i) => 2 ** -i, e: (i) => 2 ** (-i - 0.5), tol: 1e-12, what: 'graded' },
      { m: 9, d: (i) => 1e50 * (i + 1), e: () => 1e49, tol: 1e-14, what: 'large' },
      { m: 9, d: (i) => 1e-50 * (i + 1), e: () => 1e-51, tol: 1e-14, what: 'small' },
      { m: 9, d: (i) => 1e100 * (i + 1), e: () => 1e99, tol: 1e-14, what: 'huge: QL' },
      { m: 9, d: (i) => 1e150 * (i + 1), e: () => 1e149, tol: 1e-14, what: 'huge: QL' },
      { m: 9, d: (i) => 1e-100 * (i + 1), e: () => 1e-101, tol: 1e-14, what: 'tiny: QL' },
      { m: 9, d: (i) => 1e-200 * (i + 1), e: () => 1e-201, tol: 1e-14, what: 'tiny: QL' },
      { m: 64, d: () => 2, e: () => 1, tol: 1e-12, what: '1-2-1 Toeplitz' },
    ];
    for (const { m, d: fd, e: fe, tol } of cases) {
      const dd = Float64Array.from({ length: m }, (_, i) => fd(i));
      const ee = Float64Array.from({ length: m }, (_, i) => (i === 0 ? 0 : fe(i)));
      checkTridiagonal(dd, ee, m, tol);
    }
  });

  // The committed riemann.wasm must be what `npm run build:wasm -w streams` produces from the source.
  const streamsDir = path.join(ROOT, 'streams');
  const ascJs = path.join(ROOT, 'node_modules/assemblyscript/bin/asc.js');
  const haveAsc = fs.existsSync(ascJs);
  (haveAsc ? it : it.skip)(
    'riemann.wasm is byte-identical to a rebuild of riemann.as.ts',
    () => {
      const script = (JSON.parse(fs.readFileSync(path.join(streamsDir, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
        .scripts['build:wasm'];
      const args = script.split(/\s+/);
      expect(args[0]).toBe('asc');
      const o = args.indexOf('-o');
      expect(path.resolve(streamsDir, args[o + 1])).toBe(WASM_PATH);
      const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'riemann-wasm-')), 'riemann.wasm');
      args[o + 1] = tmp;
      const r = spawnSync(process.execPath, [ascJs, ...args.slice(1)], { cwd: streamsDir, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(Buffer.compare(fs.readFileSync(tmp), fs.readFileSync(WASM_PATH))).toBe(0);
      fs.rmSync(path.dirname(tmp), { recursive: true, force: true });
    },
    60_000,
  );
});
