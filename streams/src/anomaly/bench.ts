// Throughput/memory check for the stager at a full 7-day, 1-minute baseline:
//   node --expose-gc -r @swc-node/register streams/src/anomaly/bench.ts [series=50]
// Each baseline kind runs in its own child process so heap numbers do not mix.
// Reports µs per update and bytes per series for each baseline kind, and the
// extrapolation to 10,000 devices × 3 metrics.
import { execFileSync } from 'node:child_process';
import { AnomalyStager, type StagerConfig } from './stager';

const SERIES = Number(process.argv[2] ?? 50);
const FILL = 10080;
const MEASURE = 2000;
const kinds: Array<[string, Partial<StagerConfig>]> = [
  ['exact mean/std', {}],
  ['robust median/MAD', { robust: true, twoSided: true }],
  ['bucketed 1 h mean/std', { bucketMs: 3_600_000 }],
];

let seed = 12345;
const rnd = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;

const only = process.argv[3];
if (only === undefined) {
  for (let k = 0; k < kinds.length; k++) {
    const out = execFileSync(process.execPath, [...process.execArgv, __filename, String(SERIES), String(k)], { encoding: 'utf8' });
    process.stdout.write(out);
  }
  process.exit(0);
}

for (const [name, cfg] of [kinds[Number(only)]!]) {
  global.gc?.();
  const before = process.memoryUsage();
  const st = Array.from({ length: SERIES }, () => new AnomalyStager(cfg));
  for (let i = 0; i < FILL; i++) for (const s of st) s.update(i * 60_000, 3 + rnd());
  // Several passes: buffers left behind by capacity doubling are external memory V8 frees lazily.
  for (let k = 0; k < 5; k++) global.gc?.();
  const after = process.memoryUsage();
  const bytes = (after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / SERIES;
  const t0 = process.hrtime.bigint();
  for (let i = FILL; i < FILL + MEASURE; i++) for (const s of st) s.update(i * 60_000, 3 + rnd());
  const us = Number(process.hrtime.bigint() - t0) / 1e3 / (SERIES * MEASURE);
  const total = 30_000;
  console.log(
    `${name.padEnd(24)} ${us.toFixed(2)} µs/update, ~${(bytes / 1024).toFixed(0)} KiB/series → 30k series: ${((us * total) / 1000).toFixed(0)} ms CPU per minute, ~${((bytes * total) / 2 ** 30).toFixed(2)} GiB`,
  );
}
