-- TimescaleDB: time-partitioned hypertables, compression of old sensor chunks.
-- (Retention is set by the server from configuration: see db/src/retention.ts.)
SELECT create_hypertable('eeg_chunks', 'device_time', chunk_time_interval => INTERVAL '1 hour', migrate_data => true);
SELECT create_hypertable('markers', 'device_time', chunk_time_interval => INTERVAL '7 days', migrate_data => true);
SELECT create_hypertable('sensor_readings', 'device_time', chunk_time_interval => INTERVAL '7 days', migrate_data => true);

ALTER TABLE sensor_readings SET (
  timescaledb.compress,
  timescaledb.compress_segmentby = 'device_id, metric',
  timescaledb.compress_orderby = 'device_time DESC'
);
SELECT add_compression_policy('sensor_readings', INTERVAL '7 days');

ALTER TABLE eeg_chunks SET (
  timescaledb.compress,
  timescaledb.compress_segmentby = 'device_id',
  timescaledb.compress_orderby = 'device_time DESC, seq DESC'
);
SELECT add_compression_policy('eeg_chunks', INTERVAL '1 day');
