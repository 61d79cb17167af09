// Loader and JS bindings for the WebAssembly SIMD inference kernels (wasm/riemann.as.ts, compiled to
// wasm/riemann.wasm by `npm run build:wasm -w streams`). The kernels compute the same quantities as
// kernels.ts's JS implementations (which stay as the fallback) 3-5× faster (TS+LR on a 64×320
// window: Ledoit-Wolf ~4×, tangent vector ~3.5×), equal to them to ~1e-13 relative.
//
// The module is read and compiled synchronously, once, when this file is first imported: it is
// ~15 kB, compiling takes well under a millisecond, and a synchronous load keeps the classifiers'
// predictProba synchronous (no "ready" promise for every caller to await). This is the only file
// in streams/src/classify that touches the file system. If the file is missing or the runtime lacks
// WebAssembly SIMD, wasm is simply unavailable and kernels.ts uses JS.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

interface RiemannExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  abt(a: number, b: number, n: number, K: number, out: number, upper: number): void;
  ledoitWolf(data: number, n: number, T: number, x: number, q: number, cov: number): void;
  congruence(p: number, c: number, n: number, out: number, tmp: number): void;
  wsBytes(n: number): number;
  tangentVector(c: number, p: number, n: number, out: number, ws: number): number;
  distanceSqWhitened(c: number, p: number, n: number, ws: number): number;
  tql2(n: number, e: number, d: number): number;
  sterf(n: number, e: number, d: number): number;
  slideBlockBytes(n: number): number;
  slideBlock(x: number, n: number, B: number, y: number, a: number, blk: number): void;
  slideRefer(blk: number, n: number, B: number, r: number, S: number, updateS: number): void;
  slideResum(blocks: number, stride: number, count: number, n: number, S: number): void;
  slideMean(blocks: number, stride: number, K: number, B: number, n: number, S: number, mp: number): number;
  slideWindow(blocks: number, stride: number, K: number, B: number, n: number, S: number, mp: number, cov: number): void;
}

export const WASM_PATH = path.join(__dirname, 'wasm', 'riemann.wasm');

function compile(): WebAssembly.Module | null {
  try {
    return new WebAssembly.Module(readFileSync(WASM_PATH));
  } catch {
    return null;
  }
}

function instantiate(mod: WebAssembly.Module | null): RiemannExports | null {
  if (!mod) return null;
  try {
    return new WebAssembly.Instance(mod, { 'riemann.as': { log: Math.log } }).exports as unknown as RiemannExports;
  } catch {
    return null;
  }
}

const wasmModule = compile();
const wasm = instantiate(wasmModule);
let enabled = wasm !== null;

/** Whether kernels.ts dispatches to the wasm kernels (false if they could not be loaded). */
export function wasmKernelsEnabled(): boolean {
  return enabled;
}

/** Switch the wasm kernels off (JS only) or back on (if loaded); returns the previous setting. For tests and benchmarks. */
export function setWasmKernelsEnabled(on: boolean): boolean {
  const prev = enabled;
  enabled = on && wasm !== null;
  return prev;
}

// One arena in wasm memory, laid out for the current (n, T); inference is synchronous, so every
// classifier shares it (inputs are copied in and results out on each call). TS+LR's per-window
// path (lwTangentVectorWasm) keeps the covariance in wasm memory between its two kernels; the
// reference is still copied in on every call: the arena is shared by every model, and caching it
// by array identity would save ~1 µs of ~350 (copies in and out are ~1% of a window's time; the
// kernels themselves are the cost). A sliding-window stream (WasmSlidingLedoitWolf) has an instance
// of its own, where its reference does stay resident.
const align = (b: number): number => (b + 15) & ~15;
let layoutN = -1;
let layoutT = -1;
let pData = 0;
let pX = 0;
let pQ = 0;
let pCov = 0;
let pP = 0;
let pA = 0;
let pOut = 0;
let pWs = 0;
let f64 = new Float64Array(0);

function layout(x: RiemannExports, n: number, T: number): void {
  if (n === layoutN && T >= 0 && T <= layoutT) return refreshView(x);
  T = Math.max(T, layoutN === n ? layoutT : 0);
  let p = align(x.heapBase());
  const take = (bytes: number): number => {
    const at = p;
    p = align(p + bytes);
    return at;
  };
  pData = take(8 * n * T);
  pX = take(8 * n * T);
  pQ = take(8 * T);
  pCov = take(8 * n * n);
  pP = take(8 * n * n);
  pA = take(8 * n * n);
  pOut = take(8 * n * n);
  pWs = take(x.wsBytes(n));
  const need = Math.ceil(p / 65536) - x.memory.buffer.byteLength / 65536;
  if (need > 0) x.memory.grow(need);
  layoutN = n;
  layoutT = T;
  refreshView(x);
}

function refreshView(x: RiemannExports): void {
  if (f64.buffer !== x.memory.buffer) f64 = new Float64Array(x.memory.buffer);
}

function exportsOrThrow(): RiemannExports {
  if (!wasm) throw new Error('wasm kernels are not available');
  return wasm;
}

/** Ledoit-Wolf covariance of the channel-major n×T window `data` into `out` (n×n). */
export function ledoitWolfWasm(data: Float64Array, n: number, T: number, out: Float64Array): Float64Array {
  const x = exportsOrThrow();
  layout(x, n, T);
  f64.set(data.subarray(0, n * T), pData / 8);
  x.ledoitWolf(pData, n, T, pX, pQ, pCov);
  out.set(f64.subarray(pCov / 8, pCov / 8 + n * n));
  return out;
}

/**
 * Ledoit-Wolf covariance of the n×T window `data`, then its tangent vector at the reference with
 * inverse square root `p`, into `out` (as ledoitWolfWasm then tangentVectorWasm): the covariance
 * stays in wasm memory (no copy out and back in). Returns false if the eigensolver broke down;
 * the covariance is then in `covOut` (n×n) for the JS fallback, and `out` is untouched.
 */
export function lwTangentVectorWasm(
  data: Float64Array,
  n: number,
  T: number,
  p: Float64Array,
  out: Float64Array,
  covOut: Float64Array,
): boolean {
  const x = exportsOrThrow();
  layout(x, n, T);
  f64.set(data.subarray(0, n * T), pData / 8);
  x.ledoitWolf(pData, n, T, pX, pQ, pCov);
  f64.set(p.subarray(0, n * n), pP / 8);
  if (x.tangentVector(pCov, pP, n, pOut, pWs) !== 0) {
    covOut.set(f64.subarray(pCov / 8, pCov / 8 + n * n));
    return false;
  }
  out.set(f64.subarray(pOut / 8, pOut / 8 + (n * (n + 1)) / 2));
  return true;
}

/** out = A·Bᵀ for row-major n×K A and B (as kernels.ts abt). */
export function abtWasm(a: Float64Array, b: Float64Array, n: number, K: number, out: Float64Array, upper: boolean): Float64Array {
  const x = exportsOrThrow();
  layout(x, Math.max(n, 1), K); // pData and pX hold n×K each
  f64.set(a.subarray(0, n * K), pData / 8);
  f64.set(b.subarray(0, n * K), pX / 8);
  x.abt(pData, pX, n, K, pCov, upper ? 1 : 0);
  out.set(f64.subarray(pCov / 8, pCov / 8 + n * n));
  return out;
}

/** out = P·C·P (as kernels.ts congruenceInto). */
export function congruenceWasm(p: Float64Array, c: Float64Array, n: number, out: Float64Array): Float64Array {
  const x = exportsOrThrow();
  layout(x, n, 0);
  f64.set(c.subarray(0, n * n), pCov / 8);
  f64.set(p.subarray(0, n * n), pP / 8);
  x.congruence(pP, pCov, n, pA, pWs);
  out.set(f64.subarray(pA / 8, pA / 8 + n * n));
  return out;
}

/**
 * Tangent vector of `c` at the reference with inverse square root `p` into `out` (as kernels.ts
 * tangentVectorInto). Returns false (out untouched) if the eigensolver broke down.
 */
export function tangentVectorWasm(c: Float64Array, p: Float64Array, n: number, out: Float64Array): boolean {
  const x = exportsOrThrow();
  layout(x, n, 0);
  f64.set(c.subarray(0, n * n), pCov / 8);
  f64.set(p.subarray(0, n * n), pP / 8);
  if (x.tangentVector(pCov, pP, n, pOut, pWs) !== 0) return false;
  out.set(f64.subarray(pOut / 8, pOut / 8 + (n * (n + 1)) / 2));
  return true;
}

/** Squared affine-invariant distance given p = M^(-1/2) (as kernels.ts distanceSqWhitened); NaN on breakdown. */
export function distanceSqWhitenedWasm(c: Float64Array, p: Float64Array, n: number): number {
  const x = exportsOrThrow();
  layout(x, n, 0);
  f64.set(c.subarray(0, n * n), pCov / 8);
  f64.set(p.subarray(0, n * n), pP / 8);
  return x.distanceSqWhitened(pCov, pP, n, pWs);
}

/**
 * Eigenvalues (ascending, into `d`) of the symmetric tridiagonal (d, e), e[i] coupling i−1 and i
 * (householderTridiagonal's layout), by the wasm kernels' root-free QL/QR ('pwk', what the
 * inference kernels use) or the implicit QL with rotations ('ql', as symEig.ts). `e` is left
 * untouched. For tests. Returns false if the iteration did not converge.
 */
export function tridiagonalEigenvaluesWasm(d: Float64Array, e: Float64Array, n: number, method: 'pwk' | 'ql'): boolean {
  const x = exportsOrThrow();
  layout(x, n, 0);
  f64.set(d.subarray(0, n), pCov / 8);
  f64.set(e.subarray(0, n), pP / 8);
  const r = method === 'pwk' ? x.sterf(n, pP, pCov) : x.tql2(n, pP, pCov);
  d.set(f64.subarray(pCov / 8, pCov / 8 + n));
  return r === 0;
}

/**
 * Wasm backend of streaming.ts's SlidingLedoitWolf: the per-block sums of one stream in a wasm
 * instance of its own (its memory is laid out once for (n, B, K) and never moves), so `pending`
 * is a view the caller fills directly.
 */
export class WasmSlidingLedoitWolf {
  readonly pending: Float64Array;
  private readonly x: RiemannExports;
  private readonly f64: Float64Array;
  private readonly pPending: number;
  private readonly pY: number;
  private readonly pA: number;
  private readonly pBlocks: number;
  private readonly stride: number;
  private readonly pR: number;
  private readonly pS: number;
  private readonly pMp: number;
  private readonly pCov: number;
  private readonly mOffset: number; // block mean m, relative to the block
  // windowTangentVector: the reference's inverse square root (resident: copied in only when a
  // different array is passed), the tangent vector and the eigensolver's workspace
  private readonly pP: number;
  private readonly pTv: number;
  private readonly pWs: number;
  private residentP: Float64Array | null = null;

  constructor(
    readonly n: number,
    readonly B: number,
    readonly K: number,
  ) {
    const x = instantiate(wasmModule);
    if (!x) throw new Error('wasm kernels are not available');
    this.x = x;
    let p = align(x.heapBase());
    const take = (bytes: number): number => {
      const at = p;
      p = align(p + bytes);
      return at;
    };
    this.pPending = take(8 * n * B);
    this.pY = take(8 * n * B);
    this.pA = take(8 * B);
    this.stride = align(x.slideBlockBytes(n));
    this.pBlocks = take(this.stride * K);
    this.pR = take(8 * n);
    this.pS = take(8 * n * n);
    this.pMp = take(8 * n);
    this.pCov = take(8 * n * n);
    this.mOffset = 2 * align(8 * n * n);
    this.pP = take(8 * n * n);
    this.pTv = take(4 * n * (n + 1));
    this.pWs = take(x.wsBytes(n));
    const need = Math.ceil(p / 65536) - x.memory.buffer.byteLength / 65536;
    if (need > 0) x.memory.grow(need);
    this.f64 = new Float64Array(x.memory.buffer);
    this.pending = this.f64.subarray(this.pPending / 8, this.pPending / 8 + n * B);
  }

  /**
   * Folds `pending` into block slot `slot`. The first block of a stream sets the reference r;
   * `running` updates the window sum S by this block's change, otherwise S is re-summed over the
   * first `count` slots.
   */
  addBlock(slot: number, first: boolean, running: boolean, count: number): void {
    const { x, n, B } = this;
    const blk = this.pBlocks + slot * this.stride;
    x.slideBlock(this.pPending, n, B, this.pY, this.pA, blk);
    if (first) this.f64.copyWithin(this.pR / 8, (blk + this.mOffset) / 8, (blk + this.mOffset) / 8 + n);
    x.slideRefer(blk, n, B, this.pR, this.pS, running ? 1 : 0);
    if (!running) x.slideResum(this.pBlocks, this.stride, count, n, this.pS);
  }

  /** Ledoit-Wolf covariance of the window (all K slots) into `out`. */
  window(out: Float64Array): Float64Array {
    this.windowCov();
    out.set(this.f64.subarray(this.pCov / 8, this.pCov / 8 + this.n * this.n));
    return out;
  }

  /**
   * Tangent vector (as tangentVectorWasm) of the window's Ledoit-Wolf covariance at the reference
   * with inverse square root `p`, into `out`; the covariance stays in this instance's memory. `p`
   * is kept resident here and copied in again only when another array is passed, so it must not
   * be modified in place between calls. Returns false if the eigensolver broke down: the
   * covariance is then in `covOut` for the JS fallback, and `out` is untouched.
   */
  windowTangentVector(p: Float64Array, out: Float64Array, covOut: Float64Array): boolean {
    const { x, n, f64 } = this;
    this.windowCov();
    if (p !== this.residentP) {
      f64.set(p.subarray(0, n * n), this.pP / 8);
      this.residentP = p;
    }
    if (x.tangentVector(this.pCov, this.pP, n, this.pTv, this.pWs) !== 0) {
      covOut.set(f64.subarray(this.pCov / 8, this.pCov / 8 + n * n));
      return false;
    }
    out.set(f64.subarray(this.pTv / 8, this.pTv / 8 + (n * (n + 1)) / 2));
    return true;
  }

  private windowCov(): void {
    const { x, n, B, K, f64 } = this;
    if (x.slideMean(this.pBlocks, this.stride, K, B, n, this.pS, this.pMp) !== 0) {
      // DC drift: move the reference to the window mean and re-derive the block sums
      for (let i = 0; i < n; i++) f64[this.pR / 8 + i] += f64[this.pMp / 8 + i];
      for (let b = 0; b < K; b++) x.slideRefer(this.pBlocks + b * this.stride, n, B, this.pR, this.pS, 0);
      x.slideResum(this.pBlocks, this.stride, K, n, this.pS);
      x.slideMean(this.pBlocks, this.stride, K, B, n, this.pS, this.pMp);
    }
    x.slideWindow(this.pBlocks, this.stride, K, B, n, this.pS, this.pMp, this.pCov);
  }
}
