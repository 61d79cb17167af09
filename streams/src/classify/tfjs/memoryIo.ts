// In-memory save/load of Layers models in the standard model.json + weights.bin layout, so that
// streams/ never touches the filesystem: callers read/write the bytes.
import * as tf from '@tensorflow/tfjs';

/** The content of a tfjs `model.json` (layers-model format). */
export interface ModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  userDefinedMetadata?: Record<string, unknown>;
}

/** Serialise a model to (model.json object, weights.bin bytes) via a custom IOHandler. */
export async function saveToMemory(
  model: tf.LayersModel,
  weightsFileName = 'weights.bin',
  metadata?: Record<string, unknown>,
): Promise<{ modelJson: ModelJson; weights: Uint8Array }> {
  let captured: tf.io.ModelArtifacts | undefined;
  const handler: tf.io.IOHandler = {
    save: async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    },
  };
  await model.save(handler);
  if (!captured || !captured.weightData || !captured.weightSpecs) throw new Error('model save captured nothing');
  const wd = captured.weightData;
  const buf = Array.isArray(wd) ? tf.io.concatenateArrayBuffers(wd) : wd;
  const modelJson: ModelJson = {
    format: captured.format ?? 'layers-model',
    generatedBy: captured.generatedBy,
    convertedBy: captured.convertedBy ?? null,
    modelTopology: captured.modelTopology as object,
    weightsManifest: [{ paths: [weightsFileName], weights: captured.weightSpecs }],
  };
  if (metadata) modelJson.userDefinedMetadata = metadata;
  return { modelJson, weights: new Uint8Array(buf) };
}

/** Load a Layers model from a parsed model.json and its (single, concatenated) weights buffer. */
export async function loadFromMemory(modelJson: ModelJson, weights: ArrayBuffer | Uint8Array): Promise<tf.LayersModel> {
  const weightSpecs = modelJson.weightsManifest.flatMap((g) => g.weights);
  const data =
    weights instanceof Uint8Array ? weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) : weights;
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs, weightData: data as ArrayBuffer }));
}
