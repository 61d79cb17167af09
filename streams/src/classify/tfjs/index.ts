export { initTfBackend, backendName } from './backend';
export type { TfBackend } from './backend';
export { buildEegNet } from './eegnet';
export type { EegNetOptions } from './eegnet';
export { saveToMemory, loadFromMemory } from './memoryIo';
export type { ModelJson } from './memoryIo';
export { TfjsClassifier } from './tfjsClassifier';
