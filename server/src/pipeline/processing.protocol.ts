// Messages between the pipeline service and its processing shards (worker threads or inline).
import type { ChunkResult, DeviceChunk, ModelSpec } from '@bci/streams/pipeline';

export interface ShardItem {
  chunk: DeviceChunk;
  receivedAtUs: number;
  dispatchedAtUs: number;
}

export type ShardRequest = { type: 'chunks'; items: ShardItem[] } | { type: 'set-model'; requestId: number; deviceId: string; spec: ModelSpec | null };

export type ShardResult = ChunkResult & { receivedAtUs: number; dispatchedAtUs: number };

export type ShardReply =
  | { type: 'results'; results: ShardResult[] }
  | { type: 'model-set'; requestId: number; error: string | null }
  | { type: 'warning'; message: string };
