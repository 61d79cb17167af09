// Streaming sliding-window inference (streaming.ts) against isolated windows: Ledoit-Wolf
// covariances against covariance.ts and TS+LR probabilities against TangentSpaceLr.predictProba on
// the same windows of a continuous band-passed recording (S001 run 12, 64 channels), also with
// large DC offsets and drift, and in arbitrary chunk sizes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readEdf } from '../edf';
import { LEFT_RIGHT_CODES, miEpochsFromRecording } from '../eval/miData';
import { BandPassFilter } from '../filters';
import { ledoitWolf } from './covariance';
import { RiemannScratch, tangentVectorInto } from './kernels';
import { invsqrtm } from './linalg';
import { tangentDim } from './riemann';
import { SlidingLedoitWolf, StreamingTangentSpaceLr } from './streaming';
import { TangentSpaceLr } from './tangentSpaceLr';
import { setWasmKernelsEnabled } from './wasmKernels';

const FIX = path.join(__dirname, '../../../tests/fixtures/eeg');
const readRun = (run: number) => readEdf(new Uint8Array(fs.readFileSync(path.join(FIX, `S001R${String(run).padStart(2, '0')}.edf`))));
const B = 40;
const K = 8;
const W = B * K;

/** The first `seconds` of a run, causally band-passed 8-30 Hz, channel-major (n × len). */
function continuous(run: number, seconds: number): { data: Float64Array; n: number; len: number } {
  const rec = readRun(run);
  const n = rec.signals.length;
  const len = Math.min(seconds * 160, rec.signals[0].samples.length);
  const chans = rec.signals.map((s) => Float64Array.from(s.samples.subarray(0, len)));
  new BandPassFilter({ lowHz: 8, highHz: 30, order: 4, fsHz: 160, nChannels: n }).processInPlace(chans);
  const data = new Float64Array(n * len);
  chans.forEach((c, i) => data.set(c, i * len));
  return { data, n, len };
}

/** Channel-major window [end − W, end) of a channel-major n×len signal. */
function windowAt(data: Float64Array, n: number, len: number, end: number): Float64Array {
  const w = new Float64Array(n * W);
  for (let i = 0; i < n; i++) w.set(data.subarray(i * len + end - W, i * len + end), i * W);
  return w;
}

/** Streams `data` in chunks of `chunk` samples; returns [endSample, value] per window. */
function stream<T>(
  data: Float64Array,
  n: number,
  len: number,
  chunk: number,
  push: (c: Float64Array, m: number, cb: (v: T, end: number) => void) => void,
  copy: (v: T) => T,
): [number, T][] {
  const out: [number, T][] = [];
  for (let t = 0; t < len; t += chunk) {
    const m = Math.min(chunk, len - t);
    const c = new Float64Array(n * m);
    for (let i = 0; i < n; i++) c.set(data.subarray(i * len + t, i * len + t + m), i * m);
    push(c, m, (v, end) => out.push([end, copy(v)]));
  }
  return out;
}

const relDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  let s = 0;
  for (let i = 0; i < b.length; i++) {
    m = Math.max(m, Math.abs(a[i] - b[i]));
    s = Math.max(s, Math.abs(b[i]));
  }
  return m / s;
};

describe('streaming sliding-window inference', () => {
  const sig = continuous(12, 20);

  /** Runs `f` with the wasm kernels on and then off (the JS fallback). */
  const bothBackends = (f: () => void) => {
    for (const wasm of [true, false]) {
      const was = setWasmKernelsEnabled(wasm);
      try {
        f();
      } finally {
        setWasmKernelsEnabled(was);
      }
    }
  };

  it('Ledoit-Wolf covariances equal covariance.ts on every window (any chunking; wasm and JS)', () => {
    const { data, n, len } = sig;
    bothBackends(() => {
      for (const chunk of [16, 40, 123]) {
        const lw = new SlidingLedoitWolf(n, { blockSize: B, blocksPerWindow: K });
        const covs = stream<Float64Array>(
          data,
          n,
          len,
          chunk,
          (c, m, cb) => lw.push(c, m, cb),
          (v) => Float64Array.from(v),
        );
        expect(covs).toHaveLength(Math.floor(len / B) - K + 1);
        for (const [end, cov] of covs) {
          expect(end % B).toBe(0);
          const ref = ledoitWolf({ data: windowAt(data, n, len, end), nChannels: n, nSamples: W }).covariance;
          expect(relDiff(cov, ref)).toBeLessThan(1e-12);
        }
      }
    });
  });

  it('is exact with large DC offsets and drift (unfiltered-like input), re-basing its reference', () =>
    bothBackends(() => {
      const { n, len } = sig;
      const data = Float64Array.from(sig.data);
      for (let i = 0; i < n; i++) for (let t = 0; t < len; t++) data[i * len + t] += 5000 * (1 + i / n) + ((i % 5) - 2) * 40 * (t / 160);
      const lw = new SlidingLedoitWolf(n, { blockSize: B, blocksPerWindow: K });
      const covs = stream<Float64Array>(
        data,
        n,
        len,
        16,
        (c, m, cb) => lw.push(c, m, cb),
        (v) => Float64Array.from(v),
      );
      for (const [end, cov] of covs) {
        const ref = ledoitWolf({ data: windowAt(data, n, len, end), nChannels: n, nSamples: W }).covariance;
        expect(relDiff(cov, ref)).toBeLessThan(1e-9);
      }
    }));

  it('tangent vectors of the windows (covariance and reference kept in wasm memory) equal push + tangentVectorInto', () =>
    bothBackends(() => {
      const { data, n, len } = sig;
      const refP = invsqrtm(ledoitWolf({ data: windowAt(data, n, len, W), nChannels: n, nSamples: W }).covariance, n);
      const ws = new RiemannScratch(n);
      const lw0 = new SlidingLedoitWolf(n, { blockSize: B, blocksPerWindow: K });
      const viaCov = stream<Float64Array>(
        data,
        n,
        len,
        16,
        (c, m, cb) => lw0.push(c, m, cb),
        (cov) => tangentVectorInto(cov, refP, n, ws, new Float64Array(tangentDim(n))),
      );
      const lw = new SlidingLedoitWolf(n, { blockSize: B, blocksPerWindow: K });
      const out = new Float64Array(tangentDim(n));
      const fused = stream<Float64Array>(
        data,
        n,
        len,
        16,
        (c, m, cb) => lw.pushTangentVector(c, m, refP, ws, out, cb),
        (v) => Float64Array.from(v),
      );
      expect(fused).toEqual(viaCov);
    }));

  it('TS+LR probabilities equal isolated-window predictProba to 1e-9 (wasm and JS kernels)', () => {
    const ep = [4, 8].map((r) =>
      miEpochsFromRecording(readRun(r), { band: [8, 30], order: 4, padlen: 80, tminS: 0.5, tmaxS: 2.5, codes: LEFT_RIGHT_CODES }),
    );
    const model = new TangentSpaceLr().fit([...ep[0].epochs, ...ep[1].epochs], [...ep[0].labels, ...ep[1].labels]);
    const { data, n, len } = sig;
    for (const wasm of [true, false]) {
      const was = setWasmKernelsEnabled(wasm);
      try {
        const st = new StreamingTangentSpaceLr(model, { blockSize: B, blocksPerWindow: K });
        expect(st.windowSize).toBe(W);
        const probs = stream<Float64Array>(
          data,
          n,
          len,
          16,
          (c, m, cb) => st.push(c, m, cb),
          (v) => Float64Array.from(v),
        );
        expect(probs.length).toBeGreaterThan(50);
        for (const [end, p] of probs) {
          const ref = model.predictProba({ data: windowAt(data, n, len, end), nChannels: n, nSamples: W });
          for (let k = 0; k < p.length; k++) expect(Math.abs(p[k] - ref[k])).toBeLessThan(1e-9);
        }
      } finally {
        setWasmKernelsEnabled(was);
      }
    }
  });
});
