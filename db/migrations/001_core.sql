-- Core tables, identical on plain PostgreSQL and TimescaleDB.
-- Three clocks in every table: device_time (when sampled, from the device),
-- received_at (when the server took the message off NATS), stored_at (commit time).

CREATE TABLE devices (
  device_id     text PRIMARY KEY,
  kind          text NOT NULL CHECK (kind IN ('eeg', 'sensor')),
  fs_hz         double precision,
  channels      text[],
  unit          text,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  metadata      jsonb NOT NULL DEFAULT '{}'::jsonb
);

-- One row per chunk: samples as little-endian float32, channel-major, exactly as the
-- binary wire frame carries them. The key includes device_time because TimescaleDB
-- requires the partitioning column in every unique index; a redelivered chunk repeats
-- both seq and device_time, so (device_id, seq, device_time) still makes writes idempotent.
CREATE TABLE eeg_chunks (
  device_id   text NOT NULL,
  seq         bigint NOT NULL,
  device_time timestamptz NOT NULL,
  t0_us       bigint NOT NULL,
  fs_hz       double precision NOT NULL,
  n_samples   integer NOT NULL CHECK (n_samples > 0),
  samples     bytea NOT NULL,
  received_at timestamptz NOT NULL,
  stored_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (device_id, seq, device_time)
);
CREATE INDEX eeg_chunks_device_time ON eeg_chunks (device_id, device_time);

CREATE TABLE markers (
  device_id   text NOT NULL,
  device_time timestamptz NOT NULL,
  time_us     bigint NOT NULL,
  code        text NOT NULL,
  label       text NOT NULL DEFAULT '',
  duration_s  double precision,
  received_at timestamptz NOT NULL,
  stored_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (device_id, device_time, code)
);

-- Narrow layout (one row per metric) so every metric rolls up the same way and new
-- metrics need no schema change.
CREATE TABLE sensor_readings (
  device_id   text NOT NULL,
  metric      text NOT NULL,
  device_time timestamptz NOT NULL,
  value       double precision NOT NULL,
  received_at timestamptz NOT NULL,
  stored_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (device_id, metric, device_time)
);

-- Dead letters. (stream, stream_seq) is unique so a redelivered bad message is recorded once.
CREATE TABLE rejected_messages (
  id          bigserial PRIMARY KEY,
  stream      text NOT NULL,
  stream_seq  bigint NOT NULL,
  subject     text NOT NULL,
  device_id   text,
  kind        text NOT NULL,
  fault       text NOT NULL,
  reason      text NOT NULL,
  headers     jsonb NOT NULL DEFAULT '{}'::jsonb,
  payload     bytea NOT NULL,
  received_at timestamptz NOT NULL,
  stored_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (stream, stream_seq)
);
CREATE INDEX rejected_messages_device ON rejected_messages (device_id, received_at);
