-- TimescaleDB: the result tables are hypertables (a day per chunk: 4 predictions a second per device).
SELECT create_hypertable('predictions', 'window_end_time', chunk_time_interval => INTERVAL '1 day', migrate_data => true);
SELECT create_hypertable('band_powers', 'device_time', chunk_time_interval => INTERVAL '1 day', migrate_data => true);
SELECT create_hypertable('signal_quality', 'device_time', chunk_time_interval => INTERVAL '1 day', migrate_data => true);
