-- migrate:no-transaction
-- Continuous aggregates cannot be created inside a transaction block.
CREATE MATERIALIZED VIEW sensor_readings_1m
WITH (timescaledb.continuous) AS
SELECT device_id, metric, time_bucket(INTERVAL '1 minute', device_time) AS bucket,
       avg(value) AS avg, min(value) AS min, max(value) AS max, count(*) AS n
FROM sensor_readings
GROUP BY device_id, metric, bucket
WITH NO DATA;

SELECT add_continuous_aggregate_policy('sensor_readings_1m',
  start_offset => INTERVAL '2 hours', end_offset => INTERVAL '1 minute', schedule_interval => INTERVAL '1 minute');

CREATE MATERIALIZED VIEW sensor_readings_1h
WITH (timescaledb.continuous) AS
SELECT device_id, metric, time_bucket(INTERVAL '1 hour', device_time) AS bucket,
       avg(value) AS avg, min(value) AS min, max(value) AS max, count(*) AS n
FROM sensor_readings
GROUP BY device_id, metric, bucket
WITH NO DATA;

SELECT add_continuous_aggregate_policy('sensor_readings_1h',
  start_offset => INTERVAL '3 days', end_offset => INTERVAL '1 hour', schedule_interval => INTERVAL '30 minutes');
