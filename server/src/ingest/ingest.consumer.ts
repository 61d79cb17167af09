// Durable ingest: one JetStream pull consumer per device stream, or with partitions on
// (BCI_PARTITIONS) one per stream and owned partition. Messages are decoded and checked
// as they arrive (whatever arrived together, at once) and handed to the live processors; for the
// database they are batched (a batch closes when full or lingerMs after its first message),
// written in one transaction, dead-lettered, and only then acked.
// At most `maxInFlightBatches` batches are being written at once; while that many are
// outstanding the loop stops pulling from the iterator, so nats.js stops requesting more
// messages (backpressure) and the stream, not our memory, holds the backlog.
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AckPolicy, DeliverPolicy, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { INGEST_KINDS, parseSubject, subjects, type DeviceLayout, type IngestKind } from '@bci/shared';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { NatsService } from '../nats/nats.service';
import { STREAM_NAMES } from '../nats/streams';
import { mergeSortedBatches, sortBatch, type LayoutCache, type RawMessage, type SortedBatch } from './ingest-batch';
import { IngestRepository } from './ingest.repository';
import { DeadLetterPublisher } from './dead-letter.publisher';
import { IngestBus } from './ingest.bus';
import { IngestStats } from './ingest.stats';

const MAX_BACKOFF_MS = 5_000;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A message as taken off the stream, with the server's receive time. */
interface Received {
  msg: JsMsg;
  receivedAtUs: number;
}

/** One durable consumer: its stream, name and filter subject. */
interface ConsumerSpec {
  kind: IngestKind;
  stream: string;
  name: string;
  filter: string;
}

const deviceOf = (m: JsMsg): string | undefined => parseSubject(m.subject)?.deviceId;

function headersOf(m: JsMsg): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (!m.headers) return out;
  for (const [k, v] of m.headers) out[k] = v;
  return out;
}

@Injectable()
export class IngestConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('Ingest');
  private stopping = false;
  private readonly loops: Promise<void>[] = [];
  private readonly iterators = new Set<ConsumerMessages>();
  /** The durable consumers this process runs (one per stream, or per stream and owned partition). */
  private readonly consumers: ConsumerSpec[] = [];
  private readonly eegLayouts = new Map<string, DeviceLayout>();
  private readonly sensorDevices = new Set<string>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly nats: NatsService,
    private readonly repo: IngestRepository,
    private readonly dlq: DeadLetterPublisher,
    private readonly bus: IngestBus,
    private readonly stats: IngestStats,
  ) {}

  /** partition null: the one consumer of an unpartitioned deployment. */
  private consumerSpec(kind: IngestKind, partition: number | null): ConsumerSpec {
    return {
      kind,
      stream: STREAM_NAMES[kind],
      name: `${this.config.consumerPrefix}-ingest-${kind}${partition === null ? '' : `-p${partition}`}`,
      filter: partition === null ? subjects.all(kind) : subjects.partition(kind, partition),
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    const { count, owned } = this.config.partitions;
    const partitions = count === 1 ? [null] : owned;
    for (const kind of INGEST_KINDS) {
      if (count > 1) await this.warnUnpartitioned(kind);
      for (const p of partitions) {
        const spec = this.consumerSpec(kind, p);
        await this.ensureConsumer(spec);
        this.consumers.push(spec);
        this.loops.push(this.run(spec));
      }
    }
    if (count > 1) this.log.log(`owning partition(s) ${owned.join(', ')} of ${count}`);
  }

  /**
   * Each of this process's consumers and how far behind it is: `pending` messages in the stream
   * not yet delivered, `ackPending` delivered but not yet acked (being written). A partition whose
   * pending grows is one its owner cannot keep up with.
   */
  async consumerLag(): Promise<{ name: string; stream: string; filter: string; pending: number | null; ackPending: number | null; error?: string }[]> {
    return Promise.all(
      this.consumers.map(async ({ name, stream, filter }) => {
        try {
          // A health check must answer even when JetStream does not (its API times out after 5 s).
          const timeout = sleep(1_000).then(() => Promise.reject(new Error('no answer from JetStream within 1 s')));
          const info = await Promise.race([this.nats.jsm.consumers.info(stream, name), timeout]);
          return { name, stream, filter, pending: info.num_pending, ackPending: info.num_ack_pending };
        } catch (err) {
          return { name, stream, filter, pending: null, ackPending: null, error: (err as Error).message };
        }
      }),
    );
  }

  /**
   * With partitions on, devices' subjects must go through nats-server's partition mapping; a
   * message stored without it (bci.<kind>.<id>) matches no partition's consumer and would sit in
   * the stream unread, so say so loudly.
   */
  private async warnUnpartitioned(kind: IngestKind): Promise<void> {
    try {
      const info = await this.nats.jsm.streams.info(STREAM_NAMES[kind], { subjects_filter: subjects.unpartitioned(kind) });
      const n = Object.values(info.state.subjects ?? {}).reduce((a, b) => a + b, 0);
      if (n > 0)
        this.log.warn(
          `${n} message(s) in ${STREAM_NAMES[kind]} are on unpartitioned subjects (${subjects.unpartitioned(kind)}) and no partition's consumer reads them: ` +
            `nats-server needs the partition mapping (deploy/nats, --partitions ${this.config.partitions.count}), or run with BCI_PARTITIONS=1 to drain them`,
        );
    } catch (err) {
      this.log.warn(`cannot check ${STREAM_NAMES[kind]} for unpartitioned subjects: ${(err as Error).message}`);
    }
  }

  /** Runs before the NATS connection and the pool close (they close on application shutdown). */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    for (const it of this.iterators) it.stop();
    await Promise.allSettled(this.loops);
  }

  private async ensureConsumer({ stream, name, filter }: ConsumerSpec): Promise<void> {
    const { batchMaxMessages, maxInFlightBatches, ackWaitMs } = this.config.ingest;
    const cfg = {
      durable_name: name,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: filter,
      ack_wait: nanos(ackWaitMs),
      // Enough for the batches in flight plus one being filled; more would only let a
      // stalled server hold messages it cannot write.
      max_ack_pending: batchMaxMessages * (maxInFlightBatches + 2),
      max_deliver: -1,
    };
    try {
      await this.nats.jsm.consumers.add(stream, cfg);
    } catch (err) {
      if (!/already exists|different configuration/i.test((err as Error).message)) throw err;
      const { durable_name: _name, deliver_policy: _dp, ...updatable } = cfg;
      await this.nats.jsm.consumers.update(stream, cfg.durable_name, updatable);
    }
  }

  private layoutCache(): LayoutCache {
    return {
      get: (id) => this.eegLayouts.get(id),
      set: (id, layout) => this.eegLayouts.set(id, layout),
      hasSensor: (id) => this.sensorDevices.has(id),
      addSensor: (id) => this.sensorDevices.add(id),
    };
  }

  /** Loads stored layouts of devices this process has not seen yet (after a restart, say). */
  private async warmLayouts(messages: JsMsg[]): Promise<void> {
    const unknown = new Set<string>();
    for (const m of messages) {
      const id = deviceOf(m);
      if (id && !this.eegLayouts.has(id) && !this.sensorDevices.has(id)) unknown.add(id);
    }
    if (!unknown.size) return;
    const stored = await this.repo.loadLayouts([...unknown]);
    for (const [id, layout] of stored) {
      if (layout.kind === 'sensor') this.sensorDevices.add(id);
      else this.eegLayouts.set(id, layout);
    }
  }

  private async run({ kind, stream, name }: ConsumerSpec): Promise<void> {
    let backoff = 100;
    while (!this.stopping) {
      try {
        const consumer = await this.nats.js.consumers.get(stream, name);
        const messages = await consumer.consume({ max_messages: this.config.ingest.batchMaxMessages, expires: 5_000 });
        this.iterators.add(messages);
        const inFlight = new Set<Promise<void>>();
        // Batches are written concurrently but handed downstream in the order they were
        // fetched: stream processors (stagers, filters) must see a device's data in order.
        // Sorting (continuity checks against each device's last seq) must also run in fetch
        // order, or a later batch could advance a device's seq before an earlier one is checked.
        let previous: Promise<unknown> = Promise.resolve();
        let previousSort: Promise<unknown> = Promise.resolve();
        // Messages are sorted and handed to onSorted listeners in pieces as they arrive: each
        // piece is what came in during one turn of the event loop (setImmediate), so the live
        // processors do not wait for the batch's linger. The batch's write then uses its pieces.
        let arrivals: Received[] = [];
        let pieces: Promise<SortedBatch>[] = [];
        let sortScheduled = false;
        const sortArrivals = () => {
          sortScheduled = false;
          if (!arrivals.length) return;
          const piece = arrivals;
          arrivals = [];
          const sorted = previousSort.then(() => this.sort(stream, piece));
          previousSort = sorted.then((s) => this.bus.emitSorted(s)).catch(() => undefined);
          pieces.push(sorted);
        };
        const flush = async (batch: Received[]) => {
          sortArrivals();
          const sorted = Promise.all(pieces).then(mergeSortedBatches);
          pieces = [];
          // Rejections are handled by handle(); this keeps a failed sort from being reported as unhandled meanwhile.
          sorted.catch(() => undefined);
          while (inFlight.size >= this.config.ingest.maxInFlightBatches) await Promise.race(inFlight);
          const p: Promise<void> = this.handle(kind, batch, sorted, previous).finally(() => inFlight.delete(p));
          previous = p;
          inFlight.add(p);
        };
        // A batch closes when full, or lingerMs after its first message (one timer per batch):
        // light traffic is stored within a few tens of ms, and under load — while earlier
        // batches are being written, messages wait in the consumer's buffer — the batch fills
        // at once and heavy traffic goes in large transactions.
        const iterator = messages[Symbol.asyncIterator]();
        let next = iterator.next();
        let batch: Received[] = [];
        let lingerEnd: Promise<null> = Promise.resolve(null);
        while (!this.stopping) {
          const r = batch.length ? await Promise.race([next, lingerEnd]) : await next;
          if (r === null) {
            await flush(batch);
            batch = [];
            continue;
          }
          if (r.done) break;
          next = iterator.next();
          const received: Received = { msg: r.value, receivedAtUs: Date.now() * 1000 };
          batch.push(received);
          arrivals.push(received);
          if (!sortScheduled) {
            sortScheduled = true;
            setImmediate(sortArrivals);
          }
          if (batch.length === 1) lingerEnd = sleep(this.config.ingest.lingerMs).then(() => null);
          if (batch.length >= this.config.ingest.batchMaxMessages) {
            await flush(batch);
            batch = [];
          }
        }
        if (batch.length) await flush(batch);
        await Promise.allSettled(inFlight);
        this.iterators.delete(messages);
        backoff = 100;
      } catch (err) {
        if (this.stopping) break;
        this.log.warn(`${name}: ${(err as Error).message}; retrying in ${backoff} ms`);
        await sleep(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
  }

  /** Decodes and checks a batch against the device layouts (loading unknown ones first). */
  private async sort(stream: string, batch: Received[]): Promise<SortedBatch> {
    await this.warmLayouts(batch.map((b) => b.msg));
    const raw: RawMessage[] = batch.map(({ msg, receivedAtUs }) => ({
      subject: msg.subject,
      data: msg.data,
      headers: headersOf(msg),
      redelivered: msg.redelivered,
      stream,
      streamSeq: msg.seq,
      receivedAtUs,
      // The rate limit counts on the time JetStream stored the message, so draining a backlog
      // after an outage is not mistaken for a flood. (JsMsg.timestampNanos is a real bigint.)
      publishedAtUs: Number(msg.timestampNanos / 1000n),
    }));
    return sortBatch(raw, this.layoutCache(), this.config.ingest.maxPayloadBytes);
  }

  /** Never throws: a failed write naks the batch for redelivery and pauses briefly. */
  private async handle(kind: IngestKind, batch: Received[], sorting: Promise<SortedBatch>, previous: Promise<unknown>): Promise<void> {
    const msgs = batch.map((b) => b.msg);
    try {
      const sorted = await sorting;
      const counts = await this.repo.write(sorted);
      if (sorted.rejected.length) await this.dlq.publish(sorted.rejected);
      await previous;
      this.bus.emit(sorted);
      for (const m of msgs) m.ack();
      this.stats.record(kind, msgs.length, counts, sorted.rejected.length);
    } catch (err) {
      this.log.warn(`${kind}: batch of ${msgs.length} not stored (${(err as Error).message}); redelivering`);
      // The cache may now be ahead of the database: reload these devices on their next message.
      for (const m of msgs) {
        const id = deviceOf(m);
        if (id === undefined) continue;
        this.eegLayouts.delete(id);
        this.sensorDevices.delete(id);
      }
      for (const m of msgs) m.nak(1_000);
      this.stats.recordFailure(kind);
      await sleep(1_000);
    }
  }
}
