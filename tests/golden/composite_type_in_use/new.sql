CREATE TYPE address AS (street text, city text, country text COLLATE "C");
COMMENT ON COLUMN address.country IS 'ISO code';
CREATE TABLE customers (id integer PRIMARY KEY, home address, previous address[]);
