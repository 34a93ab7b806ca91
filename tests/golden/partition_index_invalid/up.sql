CREATE INDEX readings_sensor_idx ON ONLY public.readings USING btree (sensor);
