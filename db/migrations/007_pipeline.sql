-- Calibration sessions, trained models, and the live pipeline's results (predictions, band
-- powers, signal quality). Result times are device time (the window's or block's last sample);
-- received_at is when the chunk that completed it came off NATS, emitted_at when it was pushed.

CREATE TABLE sessions (
  id            text PRIMARY KEY,
  device_id     text NOT NULL,
  subject       text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  -- Device time (µs since the epoch) of the session's first and last sample; null until started/stopped.
  started_at_us bigint,
  stopped_at_us bigint
);
CREATE INDEX sessions_device ON sessions (device_id, created_at DESC);

CREATE TABLE models (
  id          text PRIMARY KEY,
  device_id   text NOT NULL,
  subject     text,
  session_id  text REFERENCES sessions (id) ON DELETE SET NULL,
  pipeline    text NOT NULL,
  version     integer NOT NULL,
  artifact    jsonb NOT NULL,
  metrics     jsonb,
  created_at  timestamptz NOT NULL DEFAULT now(),
  active      boolean NOT NULL DEFAULT false,
  UNIQUE (device_id, version)
);
-- At most one active model per device.
CREATE UNIQUE INDEX models_one_active ON models (device_id) WHERE active;

CREATE TABLE predictions (
  device_id       text NOT NULL,
  window_end_time timestamptz NOT NULL,
  window_index    bigint NOT NULL,
  label           text NOT NULL,
  classes         text[] NOT NULL,
  probabilities   jsonb NOT NULL,
  model_id        text NOT NULL,
  model_version   integer NOT NULL,
  received_at     timestamptz NOT NULL,
  emitted_at      timestamptz NOT NULL,
  PRIMARY KEY (device_id, window_end_time, model_id)
);

-- One row per device per second: relative[channel][band] as JSON (bands and channels listed).
CREATE TABLE band_powers (
  device_id   text NOT NULL,
  device_time timestamptz NOT NULL,
  bands       text[] NOT NULL,
  channels    text[] NOT NULL,
  relative    jsonb NOT NULL,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (device_id, device_time)
);

CREATE TABLE signal_quality (
  device_id   text NOT NULL,
  device_time timestamptz NOT NULL,
  -- [{channel, verdict, std, railedFraction, lineNoiseRatio}]
  channels    jsonb NOT NULL,
  bad         integer NOT NULL,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (device_id, device_time)
);
