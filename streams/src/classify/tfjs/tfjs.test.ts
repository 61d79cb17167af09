// The committed untrained EEGNet fixture loads back from model.json + weights.bin bytes and gives the
// same output as the model the generator script built (recorded in probe-output.json).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { buildEegNet, initTfBackend, loadFromMemory, saveToMemory, TfjsClassifier } from '.';
import type { ModelJson } from './memoryIo';

const DIR = path.join(__dirname, '../../../../tests/fixtures/models/eegnet-untrained');

function probeInput(): Float64Array {
  // Same formula as tests/fixtures/models/make-eegnet-untrained.ts
  const x = new Float64Array(64 * 320);
  for (let c = 0; c < 64; c++)
    for (let t = 0; t < 320; t++) x[c * 320 + t] = Math.fround(10 * Math.sin(0.07 * t * (1 + (c % 7)) + c) + 3 * Math.cos(0.31 * t + 0.5 * c));
  return x;
}

describe('TF.js runtime', () => {
  beforeAll(async () => {
    await initTfBackend();
  });

  it('chooses a backend at run time (wasm here: tfjs-node is not installed)', () => {
    expect(['tensorflow', 'wasm', 'cpu']).toContain(tf.getBackend());
  });

  it('loads the committed EEGNet fixture and reproduces the recorded output', async () => {
    const modelJson = JSON.parse(fs.readFileSync(path.join(DIR, 'model.json'), 'utf8')) as ModelJson;
    const weights = new Uint8Array(fs.readFileSync(path.join(DIR, 'weights.bin')));
    const probe = JSON.parse(fs.readFileSync(path.join(DIR, 'probe-output.json'), 'utf8')) as { output: number[] };
    const clf = await TfjsClassifier.load(modelJson, weights);
    expect(clf.classes).toEqual(['left', 'right']);
    expect(clf.model.countParams()).toBeGreaterThan(1500);
    expect(clf.model.countParams()).toBeLessThan(3000);
    const p = clf.predictProba({ data: probeInput(), nChannels: 64, nSamples: 320 });
    expect(p[0]).toBeCloseTo(probe.output[0], 5);
    expect(p[1]).toBeCloseTo(probe.output[1], 5);
    expect(['left', 'right']).toContain(clf.predict({ data: probeInput(), nChannels: 64, nSamples: 320 }));
    clf.dispose();
  });

  it('save → load round trip gives identical predictions', async () => {
    const model = buildEegNet({ nChannels: 8, nSamples: 64, nClasses: 3, seed: 3 });
    const { modelJson, weights } = await saveToMemory(model);
    const back = await loadFromMemory(JSON.parse(JSON.stringify(modelJson)) as ModelJson, weights);
    const x = tf.randomNormal([2, 8, 64, 1], 0, 1, 'float32', 11);
    const a = (model.predict(x) as tf.Tensor).dataSync();
    const b = (back.predict(x) as tf.Tensor).dataSync();
    expect(Array.from(b)).toEqual(Array.from(a));
  });
});
