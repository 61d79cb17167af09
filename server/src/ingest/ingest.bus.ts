import { Injectable, Logger } from '@nestjs/common';
import type { SortedBatch } from './ingest-batch';

export type CommittedListener = (batch: SortedBatch) => void;

/**
 * Hands each committed batch to downstream processors (live pipeline, anomaly staging).
 * Listeners run after the commit and before the ack; they must not block, and a listener
 * that throws is logged, never allowed to stop ingest.
 */
@Injectable()
export class IngestBus {
  private readonly listeners: CommittedListener[] = [];
  private readonly log = new Logger('IngestBus');

  onCommitted(listener: CommittedListener): void {
    this.listeners.push(listener);
  }

  emit(batch: SortedBatch): void {
    for (const l of this.listeners) {
      try {
        l(batch);
      } catch (err) {
        this.log.error(`listener failed: ${(err as Error).stack ?? err}`);
      }
    }
  }
}
