CREATE TABLE devices (id integer NOT NULL, serial text NOT NULL, vendor text NOT NULL);
CREATE UNIQUE INDEX devices_natural_key ON devices (serial);
ALTER TABLE devices REPLICA IDENTITY USING INDEX devices_natural_key;
