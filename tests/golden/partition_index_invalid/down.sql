DROP INDEX public.readings_sensor_idx;
