CREATE TABLE orders_v2 (id integer PRIMARY KEY, placed_at date, total numeric);
CREATE INDEX orders_placed_at_idx ON orders_v2 (placed_at);
ALTER TABLE orders_v2 ADD CONSTRAINT orders_id_unique UNIQUE (id);
