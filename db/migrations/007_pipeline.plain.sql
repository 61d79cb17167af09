-- Plain PostgreSQL: BRIN time indexes on the append-only result tables.
CREATE INDEX predictions_time_brin ON predictions USING brin (window_end_time);
CREATE INDEX band_powers_time_brin ON band_powers USING brin (device_time);
CREATE INDEX signal_quality_time_brin ON signal_quality USING brin (device_time);
