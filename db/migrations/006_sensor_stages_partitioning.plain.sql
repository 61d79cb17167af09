CREATE INDEX sensor_stages_time_brin ON sensor_stages USING brin (device_time);
