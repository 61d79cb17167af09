// Configuration from the environment, read once at start-up. Every knob has a default that
// suits one machine; the README's configuration reference lists them.
import { DEFAULT_MAX_PAYLOAD_BYTES, type PartitionAssignment } from '@bci/shared';
import { DEFAULT_RETENTION, type RetentionConfig } from '@bci/db';

const DEFAULT_INGEST_LINGER_MS = 20;

export interface IngestConfig {
  /** Most messages taken from one stream per fetch (one database transaction). */
  batchMaxMessages: number;
  /** How long a fetch waits to fill a batch. */
  fetchExpiresMs: number;
  /** Batches written concurrently per stream; beyond that fetching stops (backpressure). */
  maxInFlightBatches: number;
  /**
   * A database batch closes this long after its first message (or when full). Messages reach the
   * live processors as they arrive, whatever this is; it only delays the write and the ack, and a
   * longer linger moves the write out of the burst of work each arriving chunk causes.
   */
  lingerMs: number;
  maxPayloadBytes: number;
  /** JetStream redelivers a message not acked within this time (e.g. after a crash). */
  ackWaitMs: number;
  /**
   * Messages per second one device may send on each of its subjects (token bucket, burst 2 s
   * worth); the excess is dead-lettered as `rate_limited`. 0 = no limit (the default, so replays
   * at full speed still work; docker-compose.yml sets 200).
   */
  deviceMaxMsgsPerS: number;
}

/**
 * Which devices this process owns. Devices are split into `count` partitions by nats-server's
 * subject mapping (partitionOf in @bci/shared); this process consumes, processes and serves the
 * live state of the devices in `owned`. count 1 = one process owns every device (no mapping needed).
 */
export interface PartitionConfig extends PartitionAssignment {
  owned: number[];
}

export interface AppConfig {
  port: number;
  host: string;
  databaseUrl: string;
  natsUrl: string;
  /** NATS user and password (the `server` user of deploy/nats/nats.conf); unset = no auth. */
  natsUser?: string;
  natsPassword?: string;
  /** Consumer name prefix: durable consumers survive restarts under the same name. */
  consumerPrefix: string;
  partitions: PartitionConfig;
  ingest: IngestConfig;
  retention: RetentionConfig;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name}=${raw} is not a non-negative number`);
  return n;
}

/** BCI_PARTITIONS (count, default 1) and BCI_PARTITIONS_OWNED ("0,2,4-7"; default all of them). */
function partitions(env: NodeJS.ProcessEnv): PartitionConfig {
  const count = int(env, 'BCI_PARTITIONS', 1);
  if (!Number.isInteger(count) || count < 1 || count > 1024) throw new Error(`BCI_PARTITIONS=${env.BCI_PARTITIONS} must be an integer from 1 to 1024`);
  const raw = env.BCI_PARTITIONS_OWNED?.trim();
  if (!raw) return { count, owned: Array.from({ length: count }, (_, i) => i) };
  const owned = new Set<number>();
  for (const part of raw.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    const from = m ? Number(m[1]) : NaN;
    const to = m?.[2] !== undefined ? Number(m[2]) : from;
    if (!m || to < from || to >= count) throw new Error(`BCI_PARTITIONS_OWNED=${raw}: "${part}" is not a partition or range within 0-${count - 1}`);
    for (let p = from; p <= to; p++) owned.add(p);
  }
  return { count, owned: [...owned].sort((a, b) => a - b) };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return {
    port: int(env, 'PORT', 8080),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    natsUrl: env.NATS_URL ?? 'nats://127.0.0.1:4222',
    natsUser: env.NATS_USER || undefined,
    natsPassword: env.NATS_PASSWORD || undefined,
    consumerPrefix: env.BCI_CONSUMER_PREFIX ?? 'bci-server',
    partitions: partitions(env),
    ingest: {
      batchMaxMessages: int(env, 'BCI_INGEST_BATCH', 1000),
      fetchExpiresMs: int(env, 'BCI_INGEST_FETCH_EXPIRES_MS', 500),
      maxInFlightBatches: Math.max(1, int(env, 'BCI_INGEST_MAX_IN_FLIGHT', 4)),
      lingerMs: int(env, 'BCI_INGEST_LINGER_MS', DEFAULT_INGEST_LINGER_MS),
      maxPayloadBytes: int(env, 'BCI_MAX_PAYLOAD_BYTES', DEFAULT_MAX_PAYLOAD_BYTES),
      ackWaitMs: int(env, 'BCI_ACK_WAIT_MS', 30_000),
      deviceMaxMsgsPerS: int(env, 'BCI_DEVICE_MAX_MSGS_PER_S', 0),
    },
    retention: {
      sensorReadingsDays: int(env, 'BCI_RETENTION_SENSOR_DAYS', DEFAULT_RETENTION.sensorReadingsDays),
      eegChunksDays: int(env, 'BCI_RETENTION_EEG_DAYS', DEFAULT_RETENTION.eegChunksDays),
    },
  };
}
