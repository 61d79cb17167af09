import { Injectable, Logger } from '@nestjs/common';
import type { SortedBatch } from './ingest-batch';

export type BatchListener = (batch: SortedBatch) => void;

/**
 * Hands each batch to downstream processors, in fetch order, at one of two points:
 * - `onSorted`: decoded and checked, before the database write. For consumers that must not
 *   wait for storage and tolerate seeing a message again (the live EEG pipeline: a prediction
 *   does not need the commit, and a redelivered chunk is recognised by its seq). A batch
 *   whose write fails is redelivered and sorted again, so listeners see it twice.
 * - `onCommitted`: after the commit and before the ack (anomaly staging, which stores what it
 *   decides in the same order as the readings).
 * Listeners must not block; one that throws is logged, never allowed to stop ingest.
 */
@Injectable()
export class IngestBus {
  private readonly sorted: BatchListener[] = [];
  private readonly committed: BatchListener[] = [];
  private readonly log = new Logger('IngestBus');

  onSorted(listener: BatchListener): void {
    this.sorted.push(listener);
  }

  onCommitted(listener: BatchListener): void {
    this.committed.push(listener);
  }

  emitSorted(batch: SortedBatch): void {
    this.call(this.sorted, batch);
  }

  emit(batch: SortedBatch): void {
    this.call(this.committed, batch);
  }

  private call(listeners: BatchListener[], batch: SortedBatch): void {
    for (const l of listeners) {
      try {
        l(batch);
      } catch (err) {
        this.log.error(`listener failed: ${(err as Error).stack ?? err}`);
      }
    }
  }
}
