// Runs a Layers model (e.g. EEGNet) on epochs/windows: input [1, nChannels, nSamples, 1], softmax out.
import * as tf from '@tensorflow/tfjs';
import type { Epoch, Label } from '../types';
import { backendName, initTfBackend } from './backend';
import { loadFromMemory, ModelJson } from './memoryIo';

export class TfjsClassifier {
  readonly pipeline = 'tfjs';
  private constructor(
    readonly model: tf.LayersModel,
    readonly classes: Label[],
  ) {}

  /** Initialise the backend (tfjs-node → wasm → cpu) and load the model from memory. */
  static async load(modelJson: ModelJson, weights: ArrayBuffer | Uint8Array, classes?: Label[]): Promise<TfjsClassifier> {
    await initTfBackend();
    const model = await loadFromMemory(modelJson, weights);
    const meta = modelJson.userDefinedMetadata as { classes?: Label[] } | undefined;
    const nOut = (model.outputs[0].shape[1] as number) ?? 0;
    const cls = classes ?? meta?.classes ?? Array.from({ length: nOut }, (_, i) => String(i));
    return new TfjsClassifier(model, cls);
  }

  static fromModel(model: tf.LayersModel, classes: Label[]): TfjsClassifier {
    return new TfjsClassifier(model, classes);
  }

  backendName(): string {
    return backendName();
  }

  /** Channel-major epoch → NHWC tensor [1, channels, samples, 1] (same memory order, float32). */
  predictProba(epoch: Epoch): Float64Array {
    const shape = this.model.inputs[0].shape;
    if (shape[1] !== epoch.nChannels || shape[2] !== epoch.nSamples)
      throw new Error(`model expects ${shape[1]}×${shape[2]}, got ${epoch.nChannels}×${epoch.nSamples}`);
    const out = tf.tidy(() => {
      const x = tf.tensor4d(Float32Array.from(epoch.data), [1, epoch.nChannels, epoch.nSamples, 1]);
      return (this.model.predict(x) as tf.Tensor).dataSync();
    });
    return Float64Array.from(out);
  }

  predict(epoch: Epoch): Label {
    const p = this.predictProba(epoch);
    let b = 0;
    for (let i = 1; i < p.length; i++) if (p[i] > p[b]) b = i;
    return this.classes[b];
  }

  dispose(): void {
    this.model.dispose();
  }
}
