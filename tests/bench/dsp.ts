// `npm run bench -- dsp [--seconds=S]`: DSP throughput. Last stdout line is one JSON object:
//   filter_samples_per_s      channel-samples/s through the causal 8-30 Hz order-4 Butterworth
//                             band-pass (4 biquads) on 64 ch at 160 Hz, in 100 ms chunks
//   loop_limit_samples_per_s  same chunking and copies, but a plain Float64Array loop doing the
//                             same arithmetic (5 mul + 4 add per section) without the recursion
//   filter_ratio              filter / loop limit (target >= 0.3)
//   inference_ms              per-pipeline inference latency from ./dsp-inference (classifiers), or {}
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BandPassFilter } from '../../streams/src/filters';
import { readEdf } from '../../streams/src/edf';

const FS_HZ = 160;
const N_CH = 64;
const CHUNK = 16; // 100 ms at 160 Hz: a typical device packet cadence

/** 64 channels of real EEG (fixture), or seeded synthetic EEG-like data if it is missing. */
function loadData(): Float64Array[] {
  const fixture = path.resolve(__dirname, '../fixtures/eeg/S001R04.edf');
  if (fs.existsSync(fixture)) return readEdf(fs.readFileSync(fixture)).signals.map((s) => s.samples);
  let seed = 1;
  const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5);
  return Array.from({ length: N_CH }, (_, c) =>
    Float64Array.from({ length: 120 * FS_HZ }, (_, i) => 30 * Math.sin((2 * Math.PI * (8 + c / 4) * i) / FS_HZ) + 20 * rnd()),
  );
}

/** Runs `step` over successive chunks for about `seconds`; returns channel-samples per second. */
function timeLoop(data: Float64Array[], seconds: number, step: (work: Float64Array[]) => void): number {
  const n = data[0].length - (data[0].length % CHUNK);
  const work = data.map(() => new Float64Array(CHUNK));
  let samples = 0;
  const t0 = process.hrtime.bigint();
  const budget = BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() - t0 < budget) {
    for (let pos = 0; pos < n; pos += CHUNK) {
      for (let c = 0; c < data.length; c++) work[c].set(data[c].subarray(pos, pos + CHUNK));
      step(work);
    }
    samples += n * data.length;
  }
  const dt = Number(process.hrtime.bigint() - t0) / 1e9;
  return samples / dt;
}

export interface FilterBench {
  filter_samples_per_s: number;
  loop_limit_samples_per_s: number;
  filter_ratio: number;
}

export function measureFilter(seconds = 1.5): FilterBench {
  const data = loadData();
  const bp = new BandPassFilter({ lowHz: 8, highHz: 30, order: 4, fsHz: FS_HZ, nChannels: data.length });
  const sos = bp.sos;
  const coef = Float64Array.from(sos.flat());
  const nSec = sos.length;
  const filterStep = (work: Float64Array[]) => bp.processInPlace(work);
  // Same arithmetic per sample and section as the DF2T biquad, minus the recursion.
  const limitStep = (work: Float64Array[]) => {
    for (const buf of work) {
      for (let s = 0; s < nSec; s++) {
        const o = s * 6;
        const b0 = coef[o], b1 = coef[o + 1], b2 = coef[o + 2], a1 = coef[o + 4], a2 = coef[o + 5];
        for (let i = 0; i < buf.length; i++) {
          const x = buf[i];
          buf[i] = b0 * x + b1 * x - a1 * x + b2 * x - a2 * x;
        }
      }
    }
  };
  // Warm up the JIT, then alternate and keep each one's best round.
  timeLoop(data, 0.3, filterStep);
  timeLoop(data, 0.3, limitStep);
  let filter = 0;
  let limit = 0;
  for (let round = 0; round < 3; round++) {
    filter = Math.max(filter, timeLoop(data, seconds / 3, filterStep));
    limit = Math.max(limit, timeLoop(data, seconds / 3, limitStep));
  }
  return {
    filter_samples_per_s: Math.round(filter),
    loop_limit_samples_per_s: Math.round(limit),
    filter_ratio: Number((filter / limit).toFixed(3)),
  };
}

// ---- inference_ms: owned by the classifiers engineer --------------------------------
// tests/bench/dsp-inference.ts may export
//   measureInference(argv: string[]): Promise<Record<string, number>> | Record<string, number>
// returning median inference latency in ms keyed by pipeline name. Merged as-is below.
async function measureInferenceIfPresent(
  argv: string[],
): Promise<{ inference_ms: Record<string, number>; inference_cpu_ms?: Record<string, number>; inference_error?: string }> {
  let mod: { measureInference?: (argv: string[]) => Promise<Record<string, number>> | Record<string, number>; lastCpu?: Record<string, number> };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require('./dsp-inference');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'MODULE_NOT_FOUND' && String(e.message).includes('dsp-inference')) return { inference_ms: {} };
    return { inference_ms: {}, inference_error: String(e.message ?? err) };
  }
  if (typeof mod.measureInference !== 'function') return { inference_ms: {}, inference_error: 'dsp-inference has no measureInference()' };
  try {
    const inference_ms = await mod.measureInference(argv);
    // Wall time is what a caller waits; CPU time is the work itself, untouched by the host's
    // steal time and other processes (the same code has measured 1.5x apart within an hour).
    return { inference_ms, inference_cpu_ms: mod.lastCpu };
  } catch (err) {
    return { inference_ms: {}, inference_error: String((err as Error).message ?? err) };
  }
}
// --------------------------------------------------------------------------------------

export async function main(argv: string[]): Promise<void> {
  const secArg = argv.find((a) => a.startsWith('--seconds='));
  const seconds = secArg ? Math.min(20, Math.max(0.3, Number(secArg.split('=')[1]))) : 1.5;
  const filter = measureFilter(seconds);
  const inference = await measureInferenceIfPresent(argv);
  console.log(
    `filter: ${(filter.filter_samples_per_s / 1e6).toFixed(1)} M ch-samples/s ` +
      `(${(filter.filter_samples_per_s / (N_CH * FS_HZ)).toFixed(0)}x real time for ${N_CH} ch @ ${FS_HZ} Hz), ` +
      `loop limit ${(filter.loop_limit_samples_per_s / 1e6).toFixed(1)} M/s, ratio ${filter.filter_ratio}`,
  );
  console.log(JSON.stringify({ ...filter, ...inference }));
}
