import { Injectable } from '@nestjs/common';
import type { IngestKind } from '@bci/shared';
import type { WriteCounts } from './ingest.repository';

interface KindStats {
  messages: number;
  stored: number;
  rejected: number;
  batches: number;
  failedBatches: number;
  lastBatchAt: string | null;
}

/** Counters for /api/health and, later, Prometheus. */
@Injectable()
export class IngestStats {
  readonly byKind: Record<IngestKind, KindStats> = {
    eeg: this.empty(),
    markers: this.empty(),
    sensor: this.empty(),
  };

  private empty(): KindStats {
    return { messages: 0, stored: 0, rejected: 0, batches: 0, failedBatches: 0, lastBatchAt: null };
  }

  record(kind: IngestKind, messages: number, counts: WriteCounts, rejected: number): void {
    const s = this.byKind[kind];
    s.messages += messages;
    s.stored += counts.eeg + counts.markers + counts.sensor;
    s.rejected += rejected;
    s.batches++;
    s.lastBatchAt = new Date().toISOString();
  }

  recordFailure(kind: IngestKind): void {
    this.byKind[kind].failedBatches++;
  }
}
