CREATE TABLE readings (id integer NOT NULL, sensor integer NOT NULL, at date);
CREATE INDEX readings_at_idx ON readings (at);
