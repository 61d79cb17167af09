SELECT create_hypertable('sensor_stages', 'device_time', chunk_time_interval => INTERVAL '7 days', migrate_data => true);
ALTER TABLE sensor_stages SET (
  timescaledb.compress,
  timescaledb.compress_segmentby = 'device_id, metric',
  timescaledb.compress_orderby = 'device_time DESC'
);
SELECT add_compression_policy('sensor_stages', INTERVAL '7 days');
