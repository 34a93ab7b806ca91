CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL UNIQUE, qty integer, note text);
CREATE INDEX items_name_lower_idx ON items (lower(name)) WHERE name <> '';
CREATE TABLE orders (id integer PRIMARY KEY, item_name text REFERENCES items (name));
