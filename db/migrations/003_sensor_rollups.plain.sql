-- Plain PostgreSQL: the rollups are ordinary views with the same columns as the
-- continuous aggregates, so the query API is the same on both. They aggregate on read;
-- the (device_id, metric, device_time) key keeps one device's metric a range scan.
CREATE VIEW sensor_readings_1m AS
SELECT device_id, metric, date_trunc('minute', device_time) AS bucket,
       avg(value) AS avg, min(value) AS min, max(value) AS max, count(*) AS n
FROM sensor_readings
GROUP BY device_id, metric, bucket;

CREATE VIEW sensor_readings_1h AS
SELECT device_id, metric, date_trunc('hour', device_time) AS bucket,
       avg(value) AS avg, min(value) AS min, max(value) AS max, count(*) AS n
FROM sensor_readings
GROUP BY device_id, metric, bucket;
