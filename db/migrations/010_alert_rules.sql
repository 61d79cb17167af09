-- Operator-defined derived metrics and alert conditions: mathjs expressions over a device's
-- metrics (checked and compiled by the server; see streams/src/anomaly/expressions.ts).
-- device_id NULL = every device; a device's own rule replaces a global rule of the same name.
-- Identical on plain PostgreSQL and TimescaleDB.
CREATE TABLE alert_rules (
  id         bigserial PRIMARY KEY,
  device_id  text CHECK (device_id <> ''),
  -- The derived metric's name, or the condition's (the alert's metric).
  name       text NOT NULL CHECK (name ~ '^[A-Za-z_][A-Za-z0-9_]{0,63}$'),
  kind       text NOT NULL CHECK (kind IN ('derived', 'condition')),
  expression text NOT NULL CHECK (expression <> ''),
  -- Stage a condition reports while it holds; derived metrics are staged by their baseline.
  stage      smallint CHECK (stage BETWEEN 1 AND 4),
  enabled    boolean NOT NULL DEFAULT true,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT alert_rules_stage_by_kind CHECK ((kind = 'condition' AND stage IS NOT NULL) OR (kind = 'derived' AND stage IS NULL))
);
-- One name per scope (each device, and the global scope).
CREATE UNIQUE INDEX alert_rules_scope_name ON alert_rules (COALESCE(device_id, ''), name);
