// Pipelines known to eval:mi. Each `make` returns a fresh, unfitted classifier for one subject.
import { CspLda } from '../../streams/src/classify/cspLda';
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
}

const meta = (ctx: PipelineContext, bands: [number, number][] = [[8, 30]]) => ({
  channels: ctx.channels,
  fsHz: ctx.fsHz,
  bands,
  window: { tminS: ctx.tminS, tmaxS: ctx.tmaxS },
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
};
