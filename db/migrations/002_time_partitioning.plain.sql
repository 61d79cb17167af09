-- Plain PostgreSQL: no hypertables. BRIN indexes keep time-range scans cheap on the
-- append-mostly tables; retention is a DELETE job run by the server (db/src/retention.ts).
CREATE INDEX sensor_readings_time_brin ON sensor_readings USING brin (device_time);
CREATE INDEX eeg_chunks_time_brin ON eeg_chunks USING brin (device_time);
