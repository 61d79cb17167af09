// Bookkeeping shared by all classifiers: class order, recording meta, fingerprint, artefact envelope.
import { ARTIFACT_FORMAT, ARTIFACT_VERSION, checkArtifact, defaultMeta, MiArtifact } from './artifact';
import { fingerprintTraining, TrainingFingerprint } from './fingerprint';
import { checkEpochs, ClassifierMetrics, Epoch, Label, MiClassifier, RecordingMeta, uniqueClasses } from './types';

export abstract class BaseClassifier<S> implements MiClassifier {
  abstract readonly pipeline: string;
  classes: Label[] = [];
  meta: RecordingMeta | undefined;
  metrics: ClassifierMetrics | undefined;
  protected training: TrainingFingerprint | undefined;
  protected state: S | undefined;

  constructor(meta?: RecordingMeta) {
    this.meta = meta;
  }

  fit(epochs: readonly Epoch[], labels: readonly Label[]): this {
    const { nChannels } = checkEpochs(epochs, labels);
    this.classes = uniqueClasses(labels);
    if (this.classes.length < 2) throw new Error('need at least two classes');
    if (this.meta && this.meta.channels.length !== nChannels)
      throw new Error(`meta lists ${this.meta.channels.length} channels but epochs have ${nChannels}`);
    this.meta ??= defaultMeta(nChannels);
    const y = labels.map((l) => this.classes.indexOf(l));
    this.state = this.fitState(epochs, y);
    this.training = fingerprintTraining(epochs, labels);
    return this;
  }

  protected abstract fitState(epochs: readonly Epoch[], y: number[]): S;
  protected abstract probaFromState(state: S, epoch: Epoch): Float64Array;
  protected abstract params(): Record<string, unknown>;

  predictProba(epoch: Epoch): Float64Array {
    if (!this.state) throw new Error(`${this.pipeline}: not fitted`);
    return this.probaFromState(this.state, epoch);
  }

  predict(epoch: Epoch): Label {
    const p = this.predictProba(epoch);
    let best = 0;
    for (let i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
    return this.classes[best];
  }

  toArtifact(): MiArtifact<S> {
    if (!this.state || !this.training || !this.meta) throw new Error(`${this.pipeline}: not fitted`);
    const a: MiArtifact<S> = {
      format: ARTIFACT_FORMAT,
      formatVersion: ARTIFACT_VERSION,
      pipeline: this.pipeline,
      meta: this.meta,
      classes: [...this.classes],
      training: this.training,
      params: this.params(),
      state: this.state,
    };
    if (this.metrics) a.metrics = this.metrics;
    // Round-trip through JSON so the artefact holds no typed arrays or shared references.
    return JSON.parse(JSON.stringify(a)) as MiArtifact<S>;
  }

  /** Restore envelope fields; subclasses call this from their static fromArtifact(). */
  protected loadArtifact(a: MiArtifact<S>): this {
    checkArtifact(a as MiArtifact, this.pipeline);
    this.meta = a.meta;
    this.classes = [...a.classes];
    this.training = a.training;
    this.metrics = a.metrics;
    this.state = a.state;
    return this;
  }
}
