CREATE TABLE readings (id integer NOT NULL, sensor integer NOT NULL, at date) PARTITION BY LIST (sensor);
CREATE TABLE readings_1 PARTITION OF readings FOR VALUES IN (1);
CREATE INDEX readings_at_idx ON readings (at);
