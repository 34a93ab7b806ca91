CREATE TABLE measurements (id integer PRIMARY KEY, watts integer NOT NULL, kilowatts numeric GENERATED ALWAYS AS (watts / 1000.0) STORED);
CREATE INDEX measurements_kilowatts_idx ON measurements (kilowatts);
COMMENT ON COLUMN measurements.kilowatts IS 'derived';
