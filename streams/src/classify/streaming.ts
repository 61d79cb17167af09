// Streaming inference for sliding windows (the live pipeline: 2 s windows every 0.25 s). A window of
// K blocks of B samples shares K − 1 blocks with the previous one, so the Ledoit-Wolf covariance is
// assembled from per-block sums and each new window costs one block's Gram matrix (n²·B/2
// multiply-adds instead of n²·K·B/2) plus O(n²) combination work. The estimator is exactly
// covariance.ts's / kernels.ts's (sklearn ledoit_wolf, window-mean centred); only the rounding
// differs (the unit test checks TS+LR probabilities against isolated windows to 1e-9).
//
// Numerics. Each block is centred on its own mean m_b (y_t = x_t − m_b) before any product is
// formed, and block sums are referred to a per-stream offset r (c_b = m_b − r):
//   H_b = Σ_t (x_t − r)(x_t − r)ᵀ = G_b + B c_b c_bᵀ,   G_b = Σ_t y_t y_tᵀ,
// so with m' = m − r (m the window mean, T = K·B) the centred Gram is Σ_b H_b − T m' m'ᵀ. r is the
// first block's mean and is moved to the window mean whenever |m'|² exceeds the window's total
// variance (DC drift), which keeps that subtraction free of cancellation. The shrinkage needs
// Σ_t q_t² with q_t = |x_t − m|²; with δ_b = m_b − m = c_b − m' and a_t = |y_t|²,
//   Σ_{t∈b} q_t² = α_b + 4 δ_bᵀG_bδ_b + B|δ_b|⁴ + 4 δ_bᵀw_b + 2|δ_b|² tr G_b
// (α_b = Σ a_t², w_b = Σ a_t y_t; the odd moments of y vanish), and
//   Σ_b δ_bᵀG_bδ_b = Σ_b (κ_b − 2 m'ᵀv_b) + m'ᵀ(S − B Σ_b c_b c_bᵀ)m'  (v_b = G_b c_b, κ_b = c_bᵀv_b).
import { abt, RiemannScratch, tangentVectorInto, tangentVectorIntoJs } from './kernels';
import { logRegProba } from './logreg';
import { tangentDim } from './riemann';
import type { TangentSpaceLr, TangentSpaceLrState } from './tangentSpaceLr';
import { wasmKernelsEnabled, WasmSlidingLedoitWolf } from './wasmKernels';

export interface SlidingWindowOptions {
  /** Samples per block = the window step (e.g. 40 = 0.25 s at 160 Hz). */
  blockSize: number;
  /** Blocks per window (e.g. 8: 2 s windows at a 0.25 s step). */
  blocksPerWindow: number;
}

interface Block {
  G: Float64Array; // Σ y yᵀ (block-centred)
  H: Float64Array; // Σ (x − r)(x − r)ᵀ
  m: Float64Array; // block mean
  c: Float64Array; // m − r
  w: Float64Array; // Σ a_t y_t
  v: Float64Array; // G c
  alpha: number; // Σ a_t²
  tau: number; // tr G
  kappa: number; // cᵀ G c
}

/** Ledoit-Wolf covariances of sliding windows over a multichannel stream, from per-block sums. */
export class SlidingLedoitWolf {
  readonly windowSize: number;
  readonly blockSize: number;
  readonly blocksPerWindow: number;
  private readonly blocks: Block[];
  private nBlocks = 0; // blocks completed so far
  private fill = 0; // samples in the pending block
  private consumed = 0; // samples pushed so far
  private readonly pending: Float64Array; // channel-major n×B
  private readonly wasm: WasmSlidingLedoitWolf | null; // the same computation in wasm (SIMD)
  private readonly y: Float64Array;
  private readonly a: Float64Array;
  private readonly r: Float64Array;
  private readonly S: Float64Array;
  private readonly mp: Float64Array;
  private readonly cov: Float64Array;
  private sinceResum = 0;

  constructor(
    readonly nChannels: number,
    opts: SlidingWindowOptions,
  ) {
    const { blockSize: B, blocksPerWindow: K } = opts;
    if (!(Number.isInteger(B) && B >= 1 && Number.isInteger(K) && K >= 1 && Number.isInteger(nChannels) && nChannels >= 1))
      throw new RangeError('SlidingLedoitWolf: nChannels, blockSize and blocksPerWindow must be positive integers');
    this.blockSize = B;
    this.blocksPerWindow = K;
    this.windowSize = B * K;
    const n = nChannels;
    const nn = n * n;
    this.wasm = wasmKernelsEnabled() ? new WasmSlidingLedoitWolf(n, B, K) : null;
    // block sums of the JS fallback (the wasm backend keeps its own in wasm memory)
    this.blocks = Array.from({ length: this.wasm ? 0 : K }, () => ({
      G: new Float64Array(nn),
      H: new Float64Array(nn),
      m: new Float64Array(n),
      c: new Float64Array(n),
      w: new Float64Array(n),
      v: new Float64Array(n),
      alpha: 0,
      tau: 0,
      kappa: 0,
    }));
    this.pending = this.wasm ? this.wasm.pending : new Float64Array(n * B);
    this.y = new Float64Array(n * B);
    this.a = new Float64Array(B);
    this.r = new Float64Array(n);
    this.S = new Float64Array(nn);
    this.mp = new Float64Array(n);
    this.cov = new Float64Array(nn);
  }

  reset(): void {
    this.nBlocks = 0;
    this.fill = 0;
    this.consumed = 0;
    this.sinceResum = 0;
  }

  /**
   * Appends `nSamples` samples (channel-major: chunk[ch * nSamples + t]). Calls `onWindow` with the
   * covariance (n×n, row-major; valid only during the call) of every window completed, i.e. at each
   * block boundary once a whole window has been seen; `endSample` counts samples since the start.
   */
  push(chunk: Float64Array, nSamples: number, onWindow: (cov: Float64Array, endSample: number) => void): void {
    this.feed(chunk, nSamples, (end) => onWindow(this.wasm ? this.wasm.window(this.cov) : this.windowCovariance(), end));
  }

  /**
   * As push, but calls `onWindow` with the tangent vector (as kernels.ts tangentVectorInto, into
   * `out`) of each window's covariance at the reference with inverse square root `p`: with the
   * wasm backend the covariance stays in wasm memory and `p` stays resident there (so `p` must not
   * be modified in place between calls).
   */
  pushTangentVector(
    chunk: Float64Array,
    nSamples: number,
    p: Float64Array,
    ws: RiemannScratch,
    out: Float64Array,
    onWindow: (tv: Float64Array, endSample: number) => void,
  ): void {
    const n = this.nChannels;
    this.feed(chunk, nSamples, (end) => {
      if (this.wasm) {
        if (!this.wasm.windowTangentVector(p, out, this.cov)) tangentVectorIntoJs(this.cov, p, n, ws, out);
      } else tangentVectorInto(this.windowCovariance(), p, n, ws, out);
      onWindow(out, end);
    });
  }

  private feed(chunk: Float64Array, nSamples: number, onWindow: (endSample: number) => void): void {
    const n = this.nChannels;
    const B = this.blockSize;
    if (chunk.length < n * nSamples) throw new RangeError(`SlidingLedoitWolf: chunk has ${chunk.length} values, expected ${n}×${nSamples}`);
    let t0 = 0;
    while (t0 < nSamples) {
      const take = Math.min(B - this.fill, nSamples - t0);
      for (let ch = 0; ch < n; ch++) this.pending.set(chunk.subarray(ch * nSamples + t0, ch * nSamples + t0 + take), ch * B + this.fill);
      this.fill += take;
      t0 += take;
      this.consumed += take;
      if (this.fill === B) {
        this.fill = 0;
        this.addBlock();
        if (this.nBlocks >= this.blocksPerWindow) onWindow(this.consumed);
      }
    }
  }

  private addBlock(): void {
    const n = this.nChannels;
    const B = this.blockSize;
    const K = this.blocksPerWindow;
    if (this.wasm) {
      const running = this.nBlocks >= K && this.sinceResum < 64;
      this.wasm.addBlock(this.nBlocks % K, this.nBlocks === 0, running, Math.min(this.nBlocks + 1, K));
      this.sinceResum = running ? this.sinceResum + 1 : 0;
      this.nBlocks++;
      return;
    }
    const blk = this.blocks[this.nBlocks % K];
    const { pending: x, y, a } = this;
    // block mean and centring, a_t = |y_t|²
    a.fill(0);
    for (let i = 0; i < n; i++) {
      const o = i * B;
      let s = 0;
      for (let t = 0; t < B; t++) s += x[o + t];
      const m = s / B;
      blk.m[i] = m;
      for (let t = 0; t < B; t++) {
        const v = x[o + t] - m;
        y[o + t] = v;
        a[t] += v * v;
      }
    }
    let alpha = 0;
    for (let t = 0; t < B; t++) alpha += a[t] * a[t];
    blk.alpha = alpha;
    for (let i = 0; i < n; i++) {
      const o = i * B;
      let s = 0;
      for (let t = 0; t < B; t++) s += a[t] * y[o + t];
      blk.w[i] = s;
    }
    abt(y, y, n, B, blk.G, true);
    let tau = 0;
    for (let i = 0; i < n; i++) tau += blk.G[i * n + i];
    blk.tau = tau;
    if (this.nBlocks === 0) this.r.set(blk.m);
    // The slot's previous block leaves the window and this one enters: S += H_new − H_old (a running
    // sum, re-summed exactly every 64 blocks and whenever fewer than K blocks have been seen).
    const running = this.nBlocks >= K && this.sinceResum < 64;
    this.refer(blk, running);
    if (running) this.sinceResum++;
    else this.resum(Math.min(this.nBlocks + 1, K));
    this.nBlocks++;
  }

  /**
   * c = m − r, H = G + B c cᵀ (upper triangle), v = G c, κ = cᵀ v for a block; with `updateS`, also
   * S += H_new − H_old on the upper triangle.
   */
  private refer(blk: Block, updateS: boolean): void {
    const n = this.nChannels;
    const B = this.blockSize;
    const { G, H, c, v } = blk;
    const S = this.S;
    for (let i = 0; i < n; i++) c[i] = blk.m[i] - this.r[i];
    let kappa = 0;
    for (let i = 0; i < n; i++) {
      const o = i * n;
      const bc = B * c[i];
      let s = 0;
      for (let j = 0; j < i; j++) s += G[o + j] * c[j];
      for (let j = i; j < n; j++) {
        const g = G[o + j];
        s += g * c[j];
        const h = g + bc * c[j];
        if (updateS) S[o + j] += h - H[o + j];
        H[o + j] = h;
      }
      v[i] = s;
      kappa += c[i] * s;
    }
    blk.kappa = kappa;
  }

  /** S = Σ H over the first `count` slots (upper triangle). */
  private resum(count: number): void {
    const n = this.nChannels;
    const S = this.S;
    S.fill(0);
    for (let b = 0; b < count; b++) {
      const H = this.blocks[b].H;
      for (let i = 0; i < n; i++) for (let j = i; j < n; j++) S[i * n + j] += H[i * n + j];
    }
    this.sinceResum = 0;
  }

  private windowCovariance(): Float64Array {
    const n = this.nChannels;
    const B = this.blockSize;
    const K = this.blocksPerWindow;
    const T = B * K;
    const { S, mp, blocks } = this;
    let rebased = false;
    for (;;) {
      mp.fill(0);
      for (const blk of blocks) for (let i = 0; i < n; i++) mp[i] += blk.c[i];
      let mm = 0;
      for (let i = 0; i < n; i++) {
        mp[i] /= K;
        mm += mp[i] * mp[i];
      }
      let tr = 0;
      for (let i = 0; i < n; i++) tr += S[i * n + i];
      tr = tr / T - mm; // total variance of the window
      if (rebased || mm <= tr) break;
      // DC drift: move the reference to the window mean and re-derive the block sums
      for (let i = 0; i < n; i++) this.r[i] += mp[i];
      for (const blk of blocks) this.refer(blk, false);
      this.resum(K);
      rebased = true;
    }
    // centred covariance (upper triangle), fused with m'ᵀSm', the trace and Σ cov²
    const cov = this.cov;
    let mSm = 0;
    let traceSum = 0;
    let delta_ = 0;
    for (let i = 0; i < n; i++) {
      const o = i * n;
      const mi = mp[i];
      const tm = T * mi;
      const sii = S[o + i];
      const cii = (sii - tm * mi) / T;
      cov[o + i] = cii;
      traceSum += cii;
      delta_ += cii * cii;
      mSm += mi * sii * mi;
      let sOff = 0;
      let dOff = 0;
      for (let j = i + 1; j < n; j++) {
        const sij = S[o + j];
        const cij = (sij - tm * mp[j]) / T;
        cov[o + j] = cij;
        dOff += cij * cij;
        sOff += sij * mp[j];
      }
      delta_ += 2 * dOff;
      mSm += 2 * mi * sOff;
    }
    let quad = mSm;
    let beta_ = 0;
    for (const blk of blocks) {
      let cm = 0;
      let mv = 0;
      let dd = 0;
      let dw = 0;
      for (let i = 0; i < n; i++) {
        const d = blk.c[i] - mp[i];
        cm += blk.c[i] * mp[i];
        mv += mp[i] * blk.v[i];
        dd += d * d;
        dw += d * blk.w[i];
      }
      quad += blk.kappa - 2 * mv - B * cm * cm;
      beta_ += blk.alpha + B * dd * dd + 4 * dw + 2 * dd * blk.tau;
    }
    beta_ += 4 * quad;
    // Ledoit-Wolf shrinkage, as kernels.ts ledoitWolfIntoJs; mirrored to the lower triangle
    if (n === 1) return cov;
    const mu = traceSum / n;
    let beta = (1 / (n * T)) * (beta_ / T - delta_);
    const delta = (delta_ - 2 * mu * traceSum + n * mu * mu) / n;
    beta = Math.min(beta, delta);
    const s = beta === 0 ? 0 : beta / delta;
    const f = 1 - s;
    for (let i = 0; i < n; i++) {
      const o = i * n;
      cov[o + i] = cov[o + i] * f + s * mu;
      for (let j = i + 1; j < n; j++) cov[j * n + i] = cov[o + j] *= f;
    }
    return cov;
  }
}

/**
 * TS+LR on sliding windows of a stream: SlidingLedoitWolf covariances, then the fitted model's
 * tangent space and logistic regression (the same computation as model.predictProba on each
 * window). Window length = blockSize · blocksPerWindow must match the model's training windows.
 */
export class StreamingTangentSpaceLr {
  private readonly lw: SlidingLedoitWolf;
  private readonly state: TangentSpaceLrState;
  private readonly p: Float64Array;
  private readonly ws: RiemannScratch;
  private readonly tv: Float64Array;

  constructor(model: TangentSpaceLr, opts: SlidingWindowOptions) {
    this.state = model.toArtifact().state;
    const n = this.state.nChannels;
    this.lw = new SlidingLedoitWolf(n, opts);
    this.p = Float64Array.from(this.state.referenceInvSqrt);
    this.ws = new RiemannScratch(n);
    this.tv = new Float64Array(tangentDim(n));
  }

  get windowSize(): number {
    return this.lw.windowSize;
  }

  reset(): void {
    this.lw.reset();
  }

  /** Appends samples (channel-major n×nSamples); calls onProba for every window completed. */
  push(chunk: Float64Array, nSamples: number, onProba: (proba: Float64Array, endSample: number) => void): void {
    this.lw.pushTangentVector(chunk, nSamples, this.p, this.ws, this.tv, (tv, end) => onProba(logRegProba(this.state.lr, tv), end));
  }
}
