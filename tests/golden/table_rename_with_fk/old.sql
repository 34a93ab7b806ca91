CREATE TABLE items (id serial PRIMARY KEY, name text CHECK (name <> ''));
CREATE INDEX items_name_idx ON items (name);
CREATE TABLE orders (id integer PRIMARY KEY, item_id integer REFERENCES items (id));
CREATE VIEW item_names AS SELECT id, name FROM items;
