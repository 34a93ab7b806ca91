CREATE TABLE orders_v1 (id integer PRIMARY KEY, placed_at date);
CREATE INDEX orders_placed_at_idx ON orders_v1 (placed_at);
ALTER TABLE orders_v1 ADD CONSTRAINT orders_id_unique UNIQUE (id);
