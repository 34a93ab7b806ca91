CREATE TABLE items (id integer PRIMARY KEY, qty numeric);
CREATE FUNCTION total_qty() RETURNS bigint LANGUAGE sql STABLE BEGIN ATOMIC SELECT sum(qty) FROM items; END;
CREATE VIEW totals AS SELECT total_qty() AS total;
