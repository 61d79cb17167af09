// Worker thread running one shard of the live EEG processors (DevicePipelines). The main thread
// keeps ingest, sockets and storage; this thread only filters, classifies and computes features.
// Messages are handled in the order they were posted, so a model swap lands between two chunks.
import { parentPort, workerData } from 'node:worker_threads';
import { DevicePipelines, type ChunkResult, type DevicePipelinesOptions } from '@bci/streams/pipeline';
import type { ShardRequest, ShardReply } from './processing.protocol';

/**
 * While a batch is processed, results are posted at most this often (and at its end). Predictions
 * wait at most this long; in return the main thread fans out many at once (one NATS flush, one
 * socket write per client) instead of paying a message, a flush and a write per prediction.
 */
const POST_EVERY_MS = 1;

const port = parentPort!;
const pipelines = new DevicePipelines(workerData as DevicePipelinesOptions, (message) => post({ type: 'warning', message }));

function post(m: ShardReply): void {
  port.postMessage(m);
}

port.on('message', (m: ShardRequest) => {
  if (m.type === 'set-model') {
    try {
      pipelines.setModel(m.deviceId, m.spec);
      post({ type: 'model-set', requestId: m.requestId, error: null });
    } catch (err) {
      post({ type: 'model-set', requestId: m.requestId, error: (err as Error).message });
    }
    return;
  }
  let results: (ChunkResult & { dispatchedAtUs: number; receivedAtUs: number })[] = [];
  let last = performance.now();
  for (const item of m.items) {
    try {
      const r = pipelines.process(item.chunk);
      if (r) results.push({ ...r, dispatchedAtUs: item.dispatchedAtUs, receivedAtUs: item.receivedAtUs });
    } catch (err) {
      post({ type: 'warning', message: `processing ${item.chunk.deviceId} seq ${item.chunk.seq} failed: ${(err as Error).stack ?? err}` });
    }
    if (results.length && performance.now() - last >= POST_EVERY_MS) {
      post({ type: 'results', results });
      results = [];
      last = performance.now();
    }
  }
  if (results.length) post({ type: 'results', results });
});
