-- Anomaly staging results and the operator's alert lifecycle.

-- Every staged sensor reading: the verdict of the rolling-baseline stager.
CREATE TABLE sensor_stages (
  device_id     text NOT NULL,
  metric        text NOT NULL,
  device_time   timestamptz NOT NULL,
  value         double precision NOT NULL,
  status        text NOT NULL,            -- scored | warming_up | invalid | out_of_order
  stage         smallint,                 -- 0..4, null while warming up
  percentile    double precision,
  z             double precision,
  baseline_size integer NOT NULL,
  staged_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (device_id, metric, device_time)
);

-- One row per incident, updated in place; its full history is in alert_events.
CREATE TABLE alerts (
  id               text PRIMARY KEY,
  device_id        text NOT NULL,
  metric           text NOT NULL,
  state            text NOT NULL CHECK (state IN ('active_unacknowledged', 'active_acknowledged', 'cleared', 'closed')),
  peak_stage       smallint NOT NULL,
  last_stage       smallint NOT NULL,
  last_value       double precision NOT NULL,
  count            integer NOT NULL,
  opened_at        timestamptz NOT NULL,
  last_at          timestamptz NOT NULL,
  escalation_level integer NOT NULL DEFAULT 0,
  acknowledged_at  timestamptz,
  acknowledged_by  text,
  acknowledge_note text,
  cleared_at       timestamptz,
  cleared_by       text,
  clear_note       text,
  closed_at        timestamptz,
  -- The lifecycle's own record of the alert, to restore it after a restart.
  state_json       jsonb NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alerts_open ON alerts (state, opened_at DESC) WHERE state <> 'closed';
CREATE INDEX alerts_device ON alerts (device_id, opened_at DESC);

CREATE TABLE alert_events (
  alert_id        text NOT NULL REFERENCES alerts (id),
  seq             integer NOT NULL,
  type            text NOT NULL,
  event_time      timestamptz NOT NULL,
  actor           text,
  note            text,
  previous_stage  smallint,
  stage           smallint NOT NULL,
  value           double precision NOT NULL,
  idempotency_key text NOT NULL UNIQUE,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (alert_id, seq)
);

-- Transactional outbox: written in the same transaction as the alert event, delivered to the
-- central server by a worker with retries; the idempotency key travels as a header.
CREATE TABLE alert_outbox (
  id              bigserial PRIMARY KEY,
  idempotency_key text NOT NULL UNIQUE,
  alert_id        text NOT NULL REFERENCES alerts (id),
  payload         jsonb NOT NULL,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  delivered_at    timestamptz
);
CREATE INDEX alert_outbox_due ON alert_outbox (next_attempt_at) WHERE status = 'pending';
