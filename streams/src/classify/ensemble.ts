// Probability-averaging ensemble of already-defined pipelines (e.g. aligned TS+LR at several
// source weights): averaging is a cheap hedge against picking a single hyper-parameter on ~36
// calibration trials, where inner-CV selection is itself very noisy.
import { ARTIFACT_FORMAT, ARTIFACT_VERSION, checkArtifact, MiArtifact } from './artifact';
import { fingerprintTraining, TrainingFingerprint } from './fingerprint';
import type { ClassifierMetrics, Epoch, Label, MiClassifier, RecordingMeta } from './types';
import { checkEpochs, uniqueClasses } from './types';

export type Member = MiClassifier & { toArtifact(): MiArtifact };

export interface EnsembleState {
  members: MiArtifact[];
}

export class Ensemble implements MiClassifier {
  classes: Label[] = [];
  metrics: ClassifierMetrics | undefined;
  private training: TrainingFingerprint | undefined;
  private members: Member[] = [];

  constructor(
    readonly pipeline: string,
    private readonly makeMembers: () => Member[],
    private meta?: RecordingMeta,
  ) {}

  fit(epochs: readonly Epoch[], labels: readonly Label[]): this {
    checkEpochs(epochs, labels);
    this.classes = uniqueClasses(labels);
    this.members = this.makeMembers().map((m) => m.fit(epochs, labels));
    this.training = fingerprintTraining(epochs, labels);
    return this;
  }

  predictProba(epoch: Epoch): Float64Array {
    if (this.members.length === 0) throw new Error(`${this.pipeline}: not fitted`);
    const out = new Float64Array(this.classes.length);
    for (const m of this.members) {
      const p = m.predictProba(epoch);
      // members may order classes differently only if they saw different labels; map by name
      m.classes.forEach((c, i) => (out[this.classes.indexOf(c)] += p[i] / this.members.length));
    }
    return out;
  }

  predict(epoch: Epoch): Label {
    const p = this.predictProba(epoch);
    let b = 0;
    for (let i = 1; i < p.length; i++) if (p[i] > p[b]) b = i;
    return this.classes[b];
  }

  toArtifact(): MiArtifact<EnsembleState> {
    if (!this.training) throw new Error(`${this.pipeline}: not fitted`);
    const members = this.members.map((m) => m.toArtifact());
    const a: MiArtifact<EnsembleState> = {
      format: ARTIFACT_FORMAT,
      formatVersion: ARTIFACT_VERSION,
      pipeline: this.pipeline,
      meta: this.meta ?? members[0].meta,
      classes: [...this.classes],
      training: this.training,
      params: { combine: 'mean-probability', members: members.map((m) => m.pipeline) },
      state: { members },
    };
    if (this.metrics) a.metrics = this.metrics;
    return a;
  }

  /** `restore` rebuilds one member from its artefact (pass classifierFromArtifact). */
  static fromArtifact(a: MiArtifact<EnsembleState>, restore: (m: MiArtifact) => Member): Ensemble {
    checkArtifact(a as MiArtifact, a.pipeline);
    const e = new Ensemble(a.pipeline, () => [], a.meta);
    e.classes = [...a.classes];
    e.training = a.training;
    e.metrics = a.metrics;
    e.members = a.state.members.map(restore);
    return e;
  }
}
