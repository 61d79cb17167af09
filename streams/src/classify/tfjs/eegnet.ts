// A small EEGNet-shaped network (Lawhern et al. 2018): temporal Conv2D → depthwise spatial Conv2D →
// separable Conv2D → pooling → dense softmax. Weights come from seeded initialisers so the same
// options always give the same (UNTRAINED) model: it exercises the runtime, it does not classify.
import * as tf from '@tensorflow/tfjs';

export interface EegNetOptions {
  nChannels: number;
  nSamples: number;
  nClasses: number;
  /** Temporal filters. */
  F1?: number;
  /** Spatial filters per temporal filter. */
  D?: number;
  /** Separable-conv filters. */
  F2?: number;
  kernLength?: number;
  seed?: number;
}

export function buildEegNet(o: EegNetOptions): tf.LayersModel {
  const F1 = o.F1 ?? 8;
  const D = o.D ?? 2;
  const F2 = o.F2 ?? 16;
  const kern = o.kernLength ?? 32;
  let seed = o.seed ?? 1;
  const init = () => tf.initializers.glorotUniform({ seed: seed++ });
  const m = tf.sequential({ name: 'eegnet_small' });
  m.add(
    tf.layers.conv2d({
      inputShape: [o.nChannels, o.nSamples, 1],
      filters: F1,
      kernelSize: [1, kern],
      padding: 'same',
      useBias: false,
      kernelInitializer: init(),
    }),
  );
  m.add(tf.layers.batchNormalization({ axis: 3 }));
  m.add(
    tf.layers.depthwiseConv2d({
      kernelSize: [o.nChannels, 1],
      depthMultiplier: D,
      useBias: false,
      depthwiseInitializer: init(),
    }),
  );
  m.add(tf.layers.batchNormalization({ axis: 3 }));
  m.add(tf.layers.activation({ activation: 'elu' }));
  m.add(tf.layers.averagePooling2d({ poolSize: [1, 4] }));
  m.add(
    tf.layers.separableConv2d({
      filters: F2,
      kernelSize: [1, 16],
      padding: 'same',
      useBias: false,
      depthwiseInitializer: init(),
      pointwiseInitializer: init(),
    }),
  );
  m.add(tf.layers.batchNormalization({ axis: 3 }));
  m.add(tf.layers.activation({ activation: 'elu' }));
  m.add(tf.layers.averagePooling2d({ poolSize: [1, 8] }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: o.nClasses, activation: 'softmax', kernelInitializer: init() }));
  return m;
}
