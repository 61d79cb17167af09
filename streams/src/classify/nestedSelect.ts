// Hyper-parameter selection by inner cross-validation on the TRAINING data only: every candidate is
// scored with stratified k-fold inside fit(), the best is refitted on all training trials. Wrapped in
// an outer CV this is nested CV, so the test fold never influences the choice.
import { crossValidate } from '../eval/crossValidate';
import { sklearnStratifiedKFold } from '../eval/kfold';
import type { MiArtifact } from './artifact';
import type { Epoch, Label, MiClassifier } from './types';

export type ArtefactClassifier = MiClassifier & { toArtifact(): MiArtifact; metrics?: MiArtifact['metrics'] };

export interface Candidate {
  name: string;
  make: () => ArtefactClassifier;
}

export interface NestedSelectOptions {
  pipeline: string;
  folds?: number;
  seed?: number;
  /** Mean inner ROC-AUC is less noisy than accuracy with ~7-trial folds; ties → earlier candidate. */
  criterion?: 'auc' | 'accuracy';
}

export class NestedCvSelect implements MiClassifier {
  readonly pipeline: string;
  classes: Label[] = [];
  chosen: ArtefactClassifier | undefined;
  chosenName = '';
  innerScores: Record<string, { accuracy: number; auc: number }> = {};
  private readonly folds: number;
  private readonly seed: number;
  private readonly criterion: 'auc' | 'accuracy';

  constructor(
    private readonly candidates: Candidate[],
    o: NestedSelectOptions,
  ) {
    if (candidates.length === 0) throw new Error('no candidates');
    this.pipeline = o.pipeline;
    this.folds = o.folds ?? 5;
    this.seed = o.seed ?? 42;
    this.criterion = o.criterion ?? 'auc';
  }

  fit(epochs: readonly Epoch[], labels: readonly Label[]): this {
    const folds = sklearnStratifiedKFold(labels, this.folds, this.seed);
    let best = -Infinity;
    let bestC = this.candidates[0];
    this.innerScores = {};
    for (const c of this.candidates) {
      const r = crossValidate(c.make, epochs, labels, folds);
      this.innerScores[c.name] = { accuracy: r.accuracy, auc: r.auc };
      const score = this.criterion === 'auc' ? r.auc : r.accuracy;
      if (score > best) {
        best = score;
        bestC = c;
      }
    }
    this.chosenName = bestC.name;
    this.chosen = bestC.make().fit(epochs, labels);
    this.classes = [...this.chosen.classes];
    return this;
  }

  predictProba(epoch: Epoch): Float64Array {
    if (!this.chosen) throw new Error(`${this.pipeline}: not fitted`);
    return this.chosen.predictProba(epoch);
  }

  predict(epoch: Epoch): Label {
    if (!this.chosen) throw new Error(`${this.pipeline}: not fitted`);
    return this.chosen.predict(epoch);
  }

  /** The chosen model's own artefact, with the selection recorded in its metrics. */
  toArtifact(): MiArtifact {
    if (!this.chosen) throw new Error(`${this.pipeline}: not fitted`);
    const a = this.chosen.toArtifact();
    a.metrics = {
      ...(a.metrics ?? {}),
      selectedCandidate: this.chosenName,
      selectionCriterion: `inner ${this.folds}-fold ${this.criterion}`,
      innerScores: JSON.stringify(this.innerScores),
    };
    return a;
  }
}
