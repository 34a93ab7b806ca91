-- ON ONLY the partitioned table: an index of the parent alone, which builds nothing and stays
-- invalid until each partition's index is attached.
-- retort:lint-ignore require-concurrent-index-creation
CREATE INDEX readings_sensor_idx ON ONLY public.readings USING btree (sensor);
