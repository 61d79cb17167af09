import { Injectable } from '@nestjs/common';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { MSG_ID_HEADER, subjects } from '@bci/shared';
import { NatsService } from '../nats/nats.service';
import type { Rejected } from './ingest-batch';

export const DLQ_HEADERS = {
  fault: 'Bci-Fault',
  reason: 'Bci-Reason',
  subject: 'Bci-Original-Subject',
  stream: 'Bci-Original-Stream',
  streamSeq: 'Bci-Original-Seq',
  /** Original headers are kept under this prefix, e.g. Bci-Original-Content-Type. */
  originalPrefix: 'Bci-Original-',
} as const;

/**
 * Publishes a rejected message to bci.dlq.<kind>.<deviceId>: the original payload as body,
 * the fault and reason and the original headers as headers. The message id derives from the
 * original stream position, so a redelivered bad message is dead-lettered once.
 */
@Injectable()
export class DeadLetterPublisher {
  constructor(private readonly nats: NatsService) {}

  async publish(rejected: Rejected[]): Promise<void> {
    await Promise.all(
      rejected.map((r) => {
        const h = natsHeaders();
        for (const [name, values] of Object.entries(r.message.headers)) {
          if (name === MSG_ID_HEADER) continue;
          for (const v of values) h.append(DLQ_HEADERS.originalPrefix + name, v);
        }
        h.set(DLQ_HEADERS.fault, r.fault);
        // Header values cannot hold line breaks.
        h.set(DLQ_HEADERS.reason, r.reason.replace(/[\r\n]+/g, ' '));
        h.set(DLQ_HEADERS.subject, r.message.subject);
        h.set(DLQ_HEADERS.stream, r.message.stream);
        h.set(DLQ_HEADERS.streamSeq, String(r.message.streamSeq));
        return this.nats.js.publish(subjects.dlq(r.kind, r.deviceId), r.message.data, {
          headers: h,
          msgID: `dlq:${r.message.stream}:${r.message.streamSeq}`,
        });
      }),
    );
  }
}
