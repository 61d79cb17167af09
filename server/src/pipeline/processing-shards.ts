// The live EEG processors, sharded by device over worker threads (BCI_PIPELINE_WORKERS, default
// 1) so filtering and classification never hold up the thread that serves ingest and sockets;
// 0 runs them on the main thread in short slices instead. A device always maps to the same
// shard, and each shard handles its messages in order, so a device's chunks and model swaps
// keep their order.
import { Logger } from '@nestjs/common';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { DevicePipelines, deviceHash, type DevicePipelinesOptions, type ModelSpec } from '@bci/streams/pipeline';
import type { ShardItem, ShardReply, ShardRequest, ShardResult } from './processing.protocol';

// TypeScript when the server runs from source (swc-node), JavaScript when built.
const WORKER_FILE = path.join(__dirname, `processing.worker${path.extname(__filename)}`);
/** Inline mode: longest stretch of processing before yielding to the event loop. */
const SLICE_MS = 5;

interface Shard {
  worker: Worker | null;
}

export class ProcessingShards {
  private readonly log = new Logger('Processing');
  private readonly shards: Shard[] = [];
  /** Each device's model as last set, re-sent to a worker that has to be restarted. */
  private readonly models = new Map<string, ModelSpec>();
  private readonly pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private nextRequest = 1;
  private closing = false;
  // Inline mode
  private inline: DevicePipelines | null = null;
  private queue: ShardItem[] = [];
  private scheduled = false;

  constructor(
    private readonly options: DevicePipelinesOptions,
    workers: number,
    private readonly onResults: (results: ShardResult[]) => void,
  ) {
    if (workers < 1) {
      this.inline = new DevicePipelines(options, (m) => this.log.warn(m));
      return;
    }
    for (let i = 0; i < workers; i++) {
      const shard: Shard = { worker: null };
      this.shards.push(shard);
      this.start(shard, i);
    }
  }

  get workerCount(): number {
    return this.shards.length;
  }

  private start(shard: Shard, index: number): void {
    const worker = new Worker(WORKER_FILE, { workerData: this.options, execArgv: WORKER_FILE.endsWith('.ts') ? ['-r', '@swc-node/register'] : [] });
    worker.on('message', (m: ShardReply) => this.onReply(m));
    worker.on('error', (err) => this.log.error(`processing worker ${index} failed: ${err.stack ?? err.message}`));
    worker.on('exit', (code) => {
      if (this.closing) return;
      // A model request it had not answered will never be: fail them all (callers may retry).
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        p.reject(new Error(`processing worker ${index} exited`));
      }
      // Chunks it held are not processed (their windows are missing); the stream goes on.
      this.log.error(`processing worker ${index} exited (code ${code}); restarting it`);
      this.start(shard, index);
    });
    // Let the process exit while a worker idles (tests, SIGTERM); close() ends them properly.
    worker.unref();
    shard.worker = worker;
    for (const [deviceId, spec] of this.models) if (this.shardOf(deviceId) === shard) this.post(shard, { type: 'set-model', requestId: 0, deviceId, spec });
  }

  private onReply(m: ShardReply): void {
    if (m.type === 'results') this.onResults(m.results);
    else if (m.type === 'warning') this.log.warn(m.message);
    else {
      const p = this.pending.get(m.requestId);
      if (!p) return;
      this.pending.delete(m.requestId);
      if (m.error === null) p.resolve();
      else p.reject(new Error(m.error));
    }
  }

  private shardOf(deviceId: string): Shard {
    return this.shards[deviceHash(deviceId) % this.shards.length];
  }

  private post(shard: Shard, m: ShardRequest, transfer: ArrayBuffer[] = []): void {
    shard.worker!.postMessage(m, transfer);
  }

  /**
   * Sends chunks with all their samples packed in one transferred buffer: decoded samples are
   * views into shared slabs, and structured clone would copy each view's whole slab.
   */
  private postChunks(shard: Shard, items: ShardItem[]): void {
    let total = 0;
    for (const it of items) total += it.chunk.samples.length;
    const packed = new Float32Array(total);
    let off = 0;
    const moved = items.map((it) => {
      const s = it.chunk.samples;
      packed.set(s, off);
      const samples = packed.subarray(off, off + s.length);
      off += s.length;
      return { ...it, chunk: { ...it.chunk, samples } };
    });
    this.post(shard, { type: 'chunks', items: moved }, [packed.buffer]);
  }

  /** Hands chunks to their shards; results arrive through onResults. */
  dispatch(items: ShardItem[]): void {
    if (!items.length) return;
    if (this.inline) {
      for (const it of items) this.queue.push(it);
      this.schedule();
      return;
    }
    if (this.shards.length === 1) {
      this.postChunks(this.shards[0], items);
      return;
    }
    const byShard = new Map<Shard, ShardItem[]>();
    for (const it of items) {
      const s = this.shardOf(it.chunk.deviceId);
      const list = byShard.get(s);
      if (list) list.push(it);
      else byShard.set(s, [it]);
    }
    for (const [s, list] of byShard) this.postChunks(s, list);
  }

  /** The device's model as last set successfully, or null. */
  modelOf(deviceId: string): ModelSpec | null {
    return this.models.get(deviceId) ?? null;
  }

  get modelCount(): number {
    return this.models.size;
  }

  /**
   * Sets a device's model (null: none) between two of its chunks. Rejects, changing nothing, if
   * the artefact cannot be loaded or does not fit the device's live stream.
   */
  async setModel(deviceId: string, spec: ModelSpec | null): Promise<void> {
    if (this.inline) this.inline.setModel(deviceId, spec);
    else {
      const shard = this.shardOf(deviceId);
      const requestId = this.nextRequest++;
      await new Promise<void>((resolve, reject) => {
        this.pending.set(requestId, { resolve, reject });
        this.post(shard, { type: 'set-model', requestId, deviceId, spec });
      });
    }
    if (spec) this.models.set(deviceId, spec);
    else this.models.delete(deviceId);
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.shards.map((s) => s.worker?.terminate()));
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.drainInline());
  }

  /** Inline mode: processes queued chunks for at most SLICE_MS, then yields, so sockets can flush between slices. */
  private drainInline(): void {
    this.scheduled = false;
    const until = performance.now() + SLICE_MS;
    const results: ShardResult[] = [];
    let i = 0;
    try {
      while (i < this.queue.length && (i === 0 || performance.now() < until)) {
        const it = this.queue[i++];
        const r = this.inline!.process(it.chunk);
        if (r) results.push({ ...r, receivedAtUs: it.receivedAtUs, dispatchedAtUs: it.dispatchedAtUs });
      }
    } catch (err) {
      this.log.error(`pipeline processing failed: ${(err as Error).stack ?? err}`);
    } finally {
      this.queue.splice(0, i);
      if (results.length) this.onResults(results);
      if (this.queue.length) this.schedule();
    }
  }
}
