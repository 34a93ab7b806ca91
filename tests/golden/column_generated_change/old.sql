CREATE TABLE items (id integer PRIMARY KEY, price numeric NOT NULL, qty integer NOT NULL, total numeric GENERATED ALWAYS AS (price * qty) STORED);
CREATE INDEX items_total_idx ON items (total);
