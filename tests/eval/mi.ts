// `npm run eval:mi -- --data DIR [--subjects S001,S002] [--pipeline NAME|all] [--json]`
// Offline motor-imagery evaluation on EEGMMIDB-layout data (runs 4/8/12, T1 = left fist, T2 = right
// fist imagery): within-subject 5-fold stratified shuffled CV (accuracy, ROC-AUC) and cross-run
// (train runs 4+8, test run 12). With --json the last stdout line is one JSON object keyed by pipeline.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readEdf } from '../../streams/src/edf';
import { crossValidate, scorePredictions, trainTest } from '../../streams/src/eval/crossValidate';
import { sklearnStratifiedKFold, stratifiedKFold } from '../../streams/src/eval/kfold';
import { LEFT_RIGHT_CODES, miEpochsFromRecording } from '../../streams/src/eval/miData';
import { PIPELINES, PipelineContext, SubjectData } from './miPipelines';

const RUNS = [4, 8, 12];
const TMIN = 0.5;
const TMAX = 2.5;

interface Args {
  data: string;
  subjects?: string[];
  pipelines: string[];
  json: boolean;
  seed: number;
  folds: 'sklearn' | 'seeded';
}

function parseArgs(argv: string[]): Args {
  const a: Args = { data: '', pipelines: ['all'], json: false, seed: 42, folds: 'sklearn' };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--data') a.data = argv[++i];
    else if (k === '--subjects') a.subjects = argv[++i].split(',').map((s) => s.trim()).filter(Boolean);
    else if (k === '--pipeline') a.pipelines = argv[++i].split(',');
    else if (k === '--json') a.json = true;
    else if (k === '--seed') a.seed = Number(argv[++i]);
    else if (k === '--folds') {
      const v = argv[++i];
      if (v !== 'sklearn' && v !== 'seeded') throw new Error('--folds sklearn|seeded');
      a.folds = v;
    }
    else throw new Error(`unknown argument ${k}`);
  }
  if (!a.data) throw new Error('usage: eval:mi --data DIR [--subjects S001,S002] [--pipeline csp-lda|fbcsp-lda|ts-lr|mdm|ra-ts-lr-nested|...|all] [--folds sklearn|seeded] [--seed 42] [--json]');
  if (a.pipelines.includes('all')) a.pipelines = Object.keys(PIPELINES).filter((p) => !p.includes('@') && !PIPELINES[p].notInAll);
  for (const p of a.pipelines) if (!PIPELINES[p]) throw new Error(`unknown pipeline ${p}; known: ${Object.keys(PIPELINES).join(', ')}`);
  return a;
}

function loadSubject(dir: string, subject: string, needRaw: boolean): SubjectData {
  const runs: SubjectData['runs'] = [];
  let channels: string[] = [];
  let fsHz = 0;
  for (const r of RUNS) {
    const file = path.join(dir, subject, `${subject}R${String(r).padStart(2, '0')}.edf`);
    const rec = readEdf(new Uint8Array(fs.readFileSync(file)));
    const band = miEpochsFromRecording(rec, { band: [8, 30], order: 4, padlen: 80, tminS: TMIN, tmaxS: TMAX, codes: LEFT_RIGHT_CODES });
    // Raw windows with a 0.5 s margin each side, for pipelines that filter inside (FBCSP).
    const raw = needRaw
      ? miEpochsFromRecording(rec, { band: null, tminS: TMIN - 0.5, tmaxS: TMAX + 0.5, codes: LEFT_RIGHT_CODES })
      : undefined;
    channels = band.channels;
    fsHz = band.fsHz;
    runs.push({ run: r, epochs: band.epochs, labels: band.labels, raw: raw?.epochs });
  }
  return { subject, channels, fsHz, runs };
}

function readReference(dir: string): Record<string, { acc?: number; auc?: number; cross?: number }> {
  // Means table of REFERENCE.md, when present, printed beside our figures.
  const out: Record<string, { acc?: number; auc?: number; cross?: number }> = {};
  const file = path.join(dir, 'REFERENCE.md');
  if (!fs.existsSync(file)) return out;
  const map: Record<string, string> = { 'CSP+LDA': 'csp-lda', 'TS+LR': 'ts-lr', MDM: 'mdm', 'FBCSP (ANOVA select)': 'fbcsp-lda' };
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^\|\s*([^|]+?)\s*\|\s*([0-9.]+)(?:\s*±\s*[0-9.]+)?\s*\|\s*([0-9.]+)\s*\|\s*([0-9.]+)\s*\|\s*$/.exec(line);
    if (m && map[m[1]]) out[map[m[1]]] = { acc: Number(m[2]), auc: Number(m[3]), cross: Number(m[4]) };
  }
  return out;
}

const f3 = (x: number | undefined): string => (x === undefined || Number.isNaN(x) ? '  -  ' : x.toFixed(3));

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const subjects =
    args.subjects ??
    fs
      .readdirSync(args.data)
      .filter((d) => /^S\d{3}$/.test(d))
      .sort();
  const needRaw = args.pipelines.some((p) => PIPELINES[p].input === 'raw');
  const t0 = Date.now();
  const data = subjects.map((s) => loadSubject(args.data, s, needRaw));
  const log = (s: string): void => {
    if (args.json) process.stderr.write(s + '\n');
    else console.log(s);
  };
  log(`loaded ${subjects.length} subjects in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const ref = readReference(args.data);
  const result: Record<string, unknown> = {};
  for (const name of args.pipelines) {
    const p = PIPELINES[name];
    const per: Record<string, { cv_accuracy: number; cv_auc: number; cross_run_accuracy: number; cross_run_auc: number; fold_accuracies: number[] }> = {};
    const tp = Date.now();
    for (const sd of data) {
      const pick = (runs: number[]) => {
        const rs = sd.runs.filter((r) => runs.includes(r.run));
        return {
          epochs: rs.flatMap((r) => (p.input === 'raw' ? (r.raw ?? []) : r.epochs)),
          labels: rs.flatMap((r) => r.labels),
        };
      };
      const all = pick(RUNS);
      const ctx: PipelineContext = { subject: sd.subject, channels: sd.channels, fsHz: sd.fsHz, others: data.filter((o) => o !== sd), tminS: TMIN, tmaxS: TMAX };
      // Default: exactly sklearn's StratifiedKFold(5, shuffle=True, random_state=seed) folds, so the
      // comparison with REFERENCE.md is not blurred by a different split (±0.05 per subject).
      const folds = args.folds === 'sklearn' ? sklearnStratifiedKFold(all.labels, 5, args.seed) : stratifiedKFold(all.labels, 5, args.seed);
      const cv = crossValidate(() => p.make(ctx), all.epochs, all.labels, folds);
      const cr = trainTest(() => p.make(ctx), pick([4, 8]), pick([12]));
      const crs = scorePredictions(cr.truth, cr.probs, cr.classes);
      per[sd.subject] = { cv_accuracy: cv.accuracy, cv_auc: cv.auc, cross_run_accuracy: crs.accuracy, cross_run_auc: crs.auc, fold_accuracies: cv.foldAccuracies };
    }
    const vals = Object.values(per);
    const mean = (f: (v: (typeof vals)[number]) => number): number => vals.reduce((a, v) => a + f(v), 0) / vals.length;
    const macc = mean((v) => v.cv_accuracy);
    // Sample std (ddof = 1) across subjects, as REFERENCE.md's ± column.
    const sd = vals.length > 1 ? Math.sqrt((mean((v) => (v.cv_accuracy - macc) ** 2) * vals.length) / (vals.length - 1)) : 0;
    result[name] = {
      mean_accuracy: macc,
      std_accuracy: sd,
      mean_auc: mean((v) => v.cv_auc),
      cross_run_accuracy: mean((v) => v.cross_run_accuracy),
      subjects: per,
    };
    const r = ref[name];
    log(`\n== ${name} — ${p.description} (${((Date.now() - tp) / 1000).toFixed(1)} s)`);
    log('subject  CV acc  CV AUC  cross-run acc');
    for (const [s, v] of Object.entries(per)) log(`${s}     ${f3(v.cv_accuracy)}   ${f3(v.cv_auc)}   ${f3(v.cross_run_accuracy)}`);
    log(`mean     ${f3(macc)}   ${f3(mean((v) => v.cv_auc))}   ${f3(mean((v) => v.cross_run_accuracy))}   (±${f3(sd)} across subjects)`);
    if (r) log(`REFERENCE.md ${f3(r.acc)}   ${f3(r.auc)}   ${f3(r.cross)}   (means over S001–S014)`);
  }
  if (args.json) console.log(JSON.stringify(result));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
