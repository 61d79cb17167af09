// `npm run bench -- features [--rounds=R]`: cost of the live processor's once-a-second feature
// block (EegStreamProcessor.features(): relative band powers of each channel from a Welch PSD of
// the notched signal, plus signalQuality of the raw signal) for 64 channels at 160 Hz, 1 s blocks.
// Last stdout line is one JSON object:
//   features_ms_per_device_second_before  the straightforward path through the public functions
//                                         (ring.latest + welchPsd + bandPowers + signalQuality),
//                                         i.e. what features() did before FeatureBlockPlan
//   features_ms_per_device_second         features() as it is now (FeatureBlockPlan)
//   ratio                                 before / now
//   max_rel_diff                          largest relative difference between the two outputs
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readEdf } from '../../streams/src/edf';
import { EEG_BANDS, FeatureBlockPlan, bandPowers, signalQuality, welchPsd } from '../../streams/src/features';
import { FlatRing, makeCausalFilter } from '../../streams/src/pipeline';

const FS_HZ = 160;
const N_CH = 64;
const BLOCK = FS_HZ; // featureWindowSec 1
const WELCH_SEG = 128; // the processor's choice at 160 Hz: largest power of two <= fs
const CHANNELS = Array.from({ length: N_CH }, (_, c) => `ch${c}`);

/** 64 channels of real EEG (fixture), or seeded synthetic EEG-like data if it is missing. */
function loadData(): Float64Array[] {
  const fixture = path.resolve(__dirname, '../fixtures/eeg/S001R04.edf');
  if (fs.existsSync(fixture))
    return readEdf(fs.readFileSync(fixture))
      .signals.slice(0, N_CH)
      .map((s) => Float64Array.from(s.samples));
  let seed = 1;
  const rnd = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5;
  return Array.from({ length: N_CH }, (_, c) =>
    Float64Array.from(
      { length: 60 * FS_HZ },
      (_, i) => 30 * Math.sin((2 * Math.PI * (8 + c / 4) * i) / FS_HZ) + 20 * rnd() + 5 * Math.sin((2 * Math.PI * 50 * i) / FS_HZ),
    ),
  );
}

interface Block {
  notched: FlatRing;
  raw: FlatRing;
}

/** One pair of rings per second of the recording, holding that second (raw and notched), as features() finds them. */
function makeBlocks(data: Float64Array[]): Block[] {
  const filter = makeCausalFilter({ fsHz: FS_HZ, nChannels: N_CH });
  const notchedAll = data.map((x) => Float64Array.from(x));
  filter.notch?.processInPlace(notchedAll);
  const blocks: Block[] = [];
  for (let s = 1; (s + 1) * BLOCK <= data[0].length; s++) {
    const raw = new FlatRing(N_CH, BLOCK);
    const notched = new FlatRing(N_CH, BLOCK);
    // A few samples of the previous second first, so the newest block wraps around the ring.
    raw.push(data, s * BLOCK - 37, (s + 1) * BLOCK);
    notched.push(notchedAll, s * BLOCK - 37, (s + 1) * BLOCK);
    blocks.push({ raw, notched });
  }
  return blocks;
}

interface Frames {
  relative: number[][];
  quality: { channel: string; verdict: string; std: number; railedFraction: number; lineNoiseRatio: number | null }[];
}

/** features() before: the public functions, one channel at a time. */
function before(b: Block): Frames {
  const notched = b.notched.latest(BLOCK);
  const relative = notched.map((x) => {
    const { freqs, psd } = welchPsd(x, FS_HZ, { nperseg: WELCH_SEG });
    const r = bandPowers(freqs, psd).relative;
    return EEG_BANDS.map((band) => r[band.name]);
  });
  const q = signalQuality(b.raw.latest(BLOCK), FS_HZ, { nperseg: WELCH_SEG });
  return { relative, quality: q.map((c) => toFrame(c)) };
}

/** features() now. */
function after(b: Block, plan: FeatureBlockPlan): Frames {
  const end = b.notched.totalPushed;
  b.notched.readInto(end - BLOCK, end, plan.input, plan.allChannels);
  const relative = plan.bandPowers();
  const rawEnd = b.raw.totalPushed;
  b.raw.readInto(rawEnd - BLOCK, rawEnd, plan.input, plan.allChannels);
  const q = plan.quality();
  return { relative, quality: q.map((c) => toFrame(c)) };
}

function toFrame(c: {
  channel: number;
  verdict: string;
  std: number;
  railedFraction: number;
  lineNoiseRatio: number;
}): Frames['quality'][number] {
  return {
    channel: CHANNELS[c.channel],
    verdict: c.verdict,
    std: c.std,
    railedFraction: c.railedFraction,
    lineNoiseRatio: Number.isFinite(c.lineNoiseRatio) ? c.lineNoiseRatio : null,
  };
}

/** Times `step` on each block on its own, lowering best[i] (ms) where block i ran faster. */
function timeBlocks(blocks: Block[], step: (b: Block) => unknown, best: Float64Array): void {
  for (let i = 0; i < blocks.length; i++) {
    const t0 = process.hrtime.bigint();
    step(blocks[i]);
    best[i] = Math.min(best[i], Number(process.hrtime.bigint() - t0) / 1e6);
  }
}

const mean = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;

function relDiff(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null || b === null) return Infinity;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

export async function main(argv: string[]): Promise<void> {
  const roundsArg = argv.find((a) => a.startsWith('--rounds='));
  const rounds = roundsArg ? Math.min(50, Math.max(1, Math.round(Number(roundsArg.split('=')[1])))) : 5;
  const blocks = makeBlocks(loadData());
  const plan = new FeatureBlockPlan({
    nChannels: N_CH,
    len: BLOCK,
    fsHz: FS_HZ,
    nperseg: WELCH_SEG,
    bands: EEG_BANDS,
    quality: { nperseg: WELCH_SEG },
  });
  const stepAfter = (b: Block) => after(b, plan);

  let maxRel = 0;
  for (const b of blocks) {
    const x = before(b);
    const y = after(b, plan);
    for (let c = 0; c < N_CH; c++) {
      for (let k = 0; k < EEG_BANDS.length; k++) maxRel = Math.max(maxRel, relDiff(x.relative[c][k], y.relative[c][k]));
      const p = x.quality[c];
      const q = y.quality[c];
      if (p.verdict !== q.verdict || p.channel !== q.channel) maxRel = Infinity;
      maxRel = Math.max(
        maxRel,
        relDiff(p.std, q.std),
        relDiff(p.railedFraction, q.railedFraction),
        relDiff(p.lineNoiseRatio, q.lineNoiseRatio),
      );
    }
  }

  // Warm up the JIT, then alternate rounds over all blocks. A block's cost is its best round
  // (other processes preempting us only ever add time); the result is the mean over blocks.
  const bestBefore = new Float64Array(blocks.length).fill(Infinity);
  const bestAfter = new Float64Array(blocks.length).fill(Infinity);
  timeBlocks(blocks, before, new Float64Array(blocks.length));
  for (let i = 0; i < 3; i++) timeBlocks(blocks, stepAfter, new Float64Array(blocks.length));
  for (let round = 0; round < rounds; round++) {
    timeBlocks(blocks, before, bestBefore);
    timeBlocks(blocks, stepAfter, bestAfter);
  }
  const msBefore = mean(bestBefore);
  const msAfter = mean(bestAfter);
  const r = (v: number, d = 4) => Number(v.toPrecision(d));
  console.log(
    `features, ${N_CH} ch @ ${FS_HZ} Hz, 1 s blocks over ${blocks.length} s of EEG: ` +
      `${(msBefore * 1000).toFixed(0)} us -> ${(msAfter * 1000).toFixed(0)} us per device-second (${(msBefore / msAfter).toFixed(1)}x), max rel diff ${maxRel.toExponential(2)}`,
  );
  console.log(
    JSON.stringify({
      channels: N_CH,
      fs: FS_HZ,
      features_ms_per_device_second_before: r(msBefore),
      features_ms_per_device_second: r(msAfter),
      ratio: r(msBefore / msAfter, 3),
      max_rel_diff: maxRel,
    }),
  );
}
