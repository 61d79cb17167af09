// Pipelines known to eval:mi. Each `make` returns a fresh, unfitted classifier for one subject.
import { AlignedTangentSpaceLr } from '../../streams/src/classify/alignedTangentSpaceLr';
import { CspLda } from '../../streams/src/classify/cspLda';
import { FbcspLda } from '../../streams/src/classify/fbcspLda';
import { Ensemble } from '../../streams/src/classify/ensemble';
import { NestedCvSelect } from '../../streams/src/classify/nestedSelect';
import { Mdm } from '../../streams/src/classify/mdm';
import { TangentSpaceLr } from '../../streams/src/classify/tangentSpaceLr';
import type { Epoch, MiClassifier } from '../../streams/src/classify/types';

export interface SubjectData {
  subject: string;
  channels: string[];
  fsHz: number;
  runs: { run: number; epochs: Epoch[]; labels: string[]; raw?: Epoch[] }[];
}

export interface PipelineContext {
  subject: string;
  channels: string[];
  fsHz: number;
  /** Other subjects' data — never the test subject; transfer pipelines may train on it. */
  others: SubjectData[];
  tminS: number;
  tmaxS: number;
}

export interface PipelineSpec {
  description: string;
  /** 'band' = 8–30 Hz zero-phase epochs; 'raw' = unfiltered epochs with 0.5 s margins. */
  input: 'band' | 'raw';
  make: (ctx: PipelineContext) => MiClassifier;
  /** Excluded from --pipeline all (slow or exploratory); still runnable by name. */
  notInAll?: boolean;
}

const meta = (ctx: PipelineContext, bands: [number, number][] = [[8, 30]]) => ({
  channels: ctx.channels,
  fsHz: ctx.fsHz,
  bands,
  window: { tminS: ctx.tminS, tmaxS: ctx.tmaxS },
});

// Sensorimotor strip (FC/C/CP rows of the 10-10 montage), chosen a priori from neurophysiology.
export const MOTOR_CHANNELS = [
  'Fc5', 'Fc3', 'Fc1', 'Fcz', 'Fc2', 'Fc4', 'Fc6',
  'C5', 'C3', 'C1', 'Cz', 'C2', 'C4', 'C6',
  'Cp5', 'Cp3', 'Cp1', 'Cpz', 'Cp2', 'Cp4', 'Cp6',
];

// One stable array per subject so per-source caches (keyed by array identity) hit across folds.
const allEpochsCache = new WeakMap<SubjectData, { epochs: Epoch[]; labels: string[] }>();
export function subjectTrials(s: SubjectData): { epochs: Epoch[]; labels: string[] } {
  let v = allEpochsCache.get(s);
  if (!v) {
    v = { epochs: s.runs.flatMap((r) => r.epochs), labels: s.runs.flatMap((r) => r.labels) };
    allEpochsCache.set(s, v);
  }
  return v;
}

const motorIdx = (ctx: PipelineContext): number[] => MOTOR_CHANNELS.map((c) => {
  const i = ctx.channels.indexOf(c);
  if (i < 0) throw new Error(`channel ${c} missing`);
  return i;
});

export const PIPELINES: Record<string, PipelineSpec> = {
  'csp-lda': {
    description: 'CSP (6) log-variance + shrinkage LDA',
    input: 'band',
    make: (ctx) => new CspLda({ nComponents: 6, meta: meta(ctx) }),
  },
  'ts-lr': {
    description: 'Ledoit-Wolf covariances, tangent space at Riemannian mean, logistic regression C=1',
    input: 'band',
    make: (ctx) => new TangentSpaceLr({ C: 1, meta: meta(ctx) }),
  },
  mdm: {
    description: 'minimum distance to Riemannian class means',
    input: 'band',
    make: (ctx) => new Mdm({ meta: meta(ctx) }),
  },
  'fbcsp-lda': {
    description: 'filter-bank CSP (5 bands × 4) + ANOVA-F top 8 (in fold) + shrinkage LDA',
    input: 'raw',
    make: (ctx) => new FbcspLda({ fsHz: ctx.fsHz, marginS: 0.5, meta: meta(ctx) }),
  },
  // Ang et al. 2008/2012 selection, parameters fixed from the paper (k = 4 + pairs, m = 2 pairs per
  // band, Parzen bandwidth (4/3n)^{1/5}σ); same bands as fbcsp-lda so only the selection differs.
  'fbcsp-mibif-lda': {
    description: 'filter-bank CSP (5 bands × 2 pairs) + MIBIF (Parzen MI) top 4 + their pairs (in fold) + shrinkage LDA',
    input: 'raw',
    make: (ctx) => new FbcspLda({ fsHz: ctx.fsHz, marginS: 0.5, selection: 'mibif', meta: meta(ctx) }),
  },
  'ra-ts-lr': {
    description: 'Riemannian-aligned TS+LR + other subjects as extra training data (weight 1), 64 channels',
    input: 'band',
    notInAll: true,
    make: (ctx) => new AlignedTangentSpaceLr({ C: 1, sources: ctx.others.map(subjectTrials), sourceWeight: 1, meta: meta(ctx) }),
  },
  'ra-ts-lr-motor': {
    description: 'as ra-ts-lr on the 21 FC/C/CP channels',
    input: 'band',
    make: (ctx) => new AlignedTangentSpaceLr({ C: 1, sources: ctx.others.map(subjectTrials), sourceWeight: 1, channelIndices: motorIdx(ctx), meta: meta(ctx) }),
  },
  'ts-lr-motor': {
    description: 'TS+LR on the 21 FC/C/CP channels (no transfer)',
    input: 'band',
    make: (ctx) => new AlignedTangentSpaceLr({ C: 1, channelIndices: motorIdx(ctx), meta: meta(ctx) }),
  },
};

// The improved pipeline: aligned transfer TS+LR on the motor strip, with the weight of the other
// subjects' trials chosen by inner 5-fold CV (ROC-AUC) on the training fold only. Weight 0 = no
// transfer (plain TS+LR on 21 channels), so the selection can also decide transfer does not help.
PIPELINES['ra-ts-lr-nested'] = {
  description: 'aligned TS+LR, 21 motor ch, source weight ∈ {0,0.03,0.1,0.3,1} by inner CV (AUC) in the training fold',
  input: 'band',
  make: (ctx) =>
    new NestedCvSelect(
      [0, 0.03, 0.1, 0.3, 1].map((w) => ({
        name: `w=${w}`,
        make: () =>
          new AlignedTangentSpaceLr({ C: 1, sources: w > 0 ? ctx.others.map(subjectTrials) : [], sourceWeight: w, channelIndices: motorIdx(ctx), meta: meta(ctx) }),
      })),
      { pipeline: 'ra-ts-lr-nested', folds: 5, seed: 42, criterion: 'auc' },
    ),
};

// Same family without selection: mean probability of the models at source weights 0, 0.03, 0.1, 0.3.
PIPELINES['ra-ts-lr-ensemble'] = {
  description: 'mean probability of aligned TS+LR (21 motor ch) at source weights 0, 0.03, 0.1, 0.3',
  input: 'band',
  make: (ctx) =>
    new Ensemble(
      'ra-ts-lr-ensemble',
      () =>
        [0, 0.03, 0.1, 0.3].map(
          (w) => new AlignedTangentSpaceLr({ C: 1, sources: w > 0 ? ctx.others.map(subjectTrials) : [], sourceWeight: w, channelIndices: motorIdx(ctx), meta: meta(ctx) }),
        ),
      meta(ctx),
    ),
};

// Exploration variants (reported, not tuned on test folds): "ra-ts-lr-motor@w0.1-C1".
for (const w of [0.03, 0.1, 0.3])
  for (const C of [0.1, 1])
    PIPELINES[`ra-ts-lr-motor@w${w}-C${C}`] = {
      description: `aligned TS+LR, 21 motor channels, source weight ${w}, C=${C}`,
      input: 'band',
      make: (ctx) => new AlignedTangentSpaceLr({ C, sources: ctx.others.map(subjectTrials), sourceWeight: w, channelIndices: motorIdx(ctx), meta: meta(ctx) }),
    };
PIPELINES['ts-lr-motor@C0.1'] = {
  description: 'TS+LR, 21 motor channels, C=0.1',
  input: 'band',
  make: (ctx) => new AlignedTangentSpaceLr({ C: 0.1, channelIndices: motorIdx(ctx), meta: meta(ctx) }),
};
