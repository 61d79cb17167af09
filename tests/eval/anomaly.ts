// NAB evaluation of the anomaly stager. Usage:
//   npm run eval:anomaly -- --data DIR [--json] [--out DIR] [--modes field,robust2s,...]
// Prints standard / low-FP / low-FN NAB scores per mode next to the published
// scoreboard (DIR/results/final_results.json); with --json the last line is
// one JSON object keyed by mode.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadNabCorpus, type NabSeries } from '../../streams/src/eval/nab/corpus';
import { MODES } from '../../streams/src/eval/nab/modes';
import {
  NAB_PROFILES,
  PROFILE_NAMES,
  normalize,
  optimizeThreshold,
  prepareSeries,
  type CorpusEntry,
  type ProfileName,
} from '../../streams/src/eval/nab/scorer';

interface Args {
  data: string;
  json: boolean;
  out: string | null;
  modes: string[] | null;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { data: '', json: false, out: null, modes: null };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    if (k === '--data') a.data = argv[++i] ?? '';
    else if (k === '--json') a.json = true;
    else if (k === '--out') a.out = argv[++i] ?? null;
    else if (k === '--modes') {
      const list: string[] = [];
      while (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) list.push(...argv[++i]!.split(',').filter(Boolean));
      a.modes = list;
    } else if (k === '--help' || k === '-h') {
      console.log('usage: eval:anomaly --data NAB_DIR [--json] [--out DIR] [--modes m1,m2 ...]');
      console.log(`modes: ${MODES.map((m) => m.name).join(', ')}`);
      process.exit(0);
    } else throw new Error(`unknown argument ${k}`);
  }
  if (!a.data) throw new Error('--data DIR is required (NAB layout: DIR/data, DIR/labels)');
  return a;
}

type Scores = Record<ProfileName, number>;

function writeResults(outDir: string, mode: string, s: NabSeries, scores: Float64Array, prepared: ReturnType<typeof prepareSeries>): void {
  const dir = join(outDir, mode, s.category);
  mkdirSync(dir, { recursive: true });
  const rows = ['timestamp,value,anomaly_score,label'];
  for (let i = 0; i < s.values.length; i++) {
    rows.push(`${s.rawTimestamps[i]},${s.values[i]},${scores[i]},${prepared.windowOf[i]! >= 0 ? 1 : 0}`);
  }
  writeFileSync(join(dir, `${mode}_${s.file}`), `${rows.join('\n')}\n`);
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const t0 = process.hrtime.bigint();
  const corpus = loadNabCorpus(args.data);
  const prepared = corpus.map((s) => prepareSeries(s));
  const modes = args.modes ? args.modes.map((n) => {
    const m = MODES.find((x) => x.name === n);
    if (!m) throw new Error(`unknown mode ${n}; known: ${MODES.map((x) => x.name).join(', ')}`);
    return m;
  }) : MODES;

  const results: Record<string, Scores> = {};
  const thresholds: Record<string, Scores> = {};
  for (const mode of modes) {
    const entries: CorpusEntry[] = corpus.map((s, i) => {
      const scores = mode.detector(s.timestamps, s.values);
      if (args.out) writeResults(args.out, mode.name, s, scores, prepared[i]!);
      return { prepared: prepared[i]!, scores };
    });
    results[mode.name] = {} as Scores;
    thresholds[mode.name] = {} as Scores;
    for (const p of PROFILE_NAMES) {
      const r = optimizeThreshold(entries, NAB_PROFILES[p]);
      results[mode.name]![p] = round(r.normalized);
      thresholds[mode.name]![p] = r.threshold;
    }
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;

  const windows = prepared.reduce((s, p) => s + p.scoredWindows, 0);
  console.log(`NAB corpus ${args.data}: ${corpus.length} series, ${corpus.reduce((s, c) => s + c.values.length, 0)} rows, ${windows} scored windows; ${secs.toFixed(1)} s`);
  console.log('\nThis run (normalised NAB score; null = 0, perfect = 100; threshold optimised per profile over the corpus)');
  console.log(pad('mode', 22) + PROFILE_NAMES.map((p) => pad(p, 20)).join('') + 'thresholds (std / lowFP / lowFN)');
  for (const m of modes) {
    const r = results[m.name]!;
    const th = thresholds[m.name]!;
    console.log(pad(m.name, 22) + PROFILE_NAMES.map((p) => pad(r[p].toFixed(1), 20)).join('') + PROFILE_NAMES.map((p) => fmtThr(th[p])).join(' / '));
  }
  for (const m of modes) console.log(`  ${pad(m.name, 20)} ${m.description}`);

  const published = join(args.data, 'results', 'final_results.json');
  if (existsSync(published)) {
    const board = JSON.parse(readFileSync(published, 'utf8')) as Record<string, Scores>;
    console.log('\nPublished NAB scoreboard (results/final_results.json)');
    const rows = Object.entries(board).sort((a, b) => b[1].standard - a[1].standard);
    for (const [name, r] of rows) console.log(pad(name, 22) + PROFILE_NAMES.map((p) => pad(r[p].toFixed(1), 20)).join(''));
    // Cross-check our normalisation with NAB's own raw scores where available.
    const thrPath = join(args.data, 'config', 'thresholds.json');
    if (existsSync(thrPath)) {
      const thr = JSON.parse(readFileSync(thrPath, 'utf8')) as Record<string, Record<ProfileName, { score: number }>>;
      let agree = 0;
      const disagree: string[] = [];
      for (const [name, r] of rows) {
        const t = thr[name];
        if (!t) continue;
        const ok = PROFILE_NAMES.every((p) => {
          const prof = NAB_PROFILES[p];
          const n = normalize(t[p].score, -windows * prof.fnWeight, windows * prof.tpWeight);
          return Math.abs(n - r[p]) < 0.01;
        });
        if (ok) agree++;
        else disagree.push(name);
      }
      console.log(`\nNormalisation check: NAB raw scores in config/thresholds.json normalised with null = -${windows}·fnWeight, perfect = ${windows}·tpWeight reproduce final_results.json for ${agree} detectors` + (disagree.length ? `; not for ${disagree.join(', ')} (for these the two published files disagree with each other, so nothing to check against)` : ''));
    }
  }
  if (args.json) console.log(JSON.stringify(results));
}

const pad = (s: string, n: number): string => (s.length >= n ? `${s} ` : s + ' '.repeat(n - s.length));
const round = (x: number): number => Math.round(x * 100) / 100;
const fmtThr = (x: number): string => (Number.isFinite(x) ? x.toPrecision(4) : 'none');

main();
