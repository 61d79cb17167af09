// Configuration from the environment, read once at start-up. Every knob has a default that
// suits one machine; the README's configuration reference lists them.
import { DEFAULT_MAX_PAYLOAD_BYTES } from '@bci/shared';
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

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return {
    port: int(env, 'PORT', 8080),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    natsUrl: env.NATS_URL ?? 'nats://127.0.0.1:4222',
    natsUser: env.NATS_USER || undefined,
    natsPassword: env.NATS_PASSWORD || undefined,
    consumerPrefix: env.BCI_CONSUMER_PREFIX ?? 'bci-server',
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
