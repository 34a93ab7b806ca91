CREATE TABLE items (id integer PRIMARY KEY, title text NOT NULL UNIQUE, quantity bigint, note text);
CREATE INDEX items_title_lower_idx ON items (lower(title)) WHERE title <> '';
CREATE TABLE orders (id integer PRIMARY KEY, item_name text REFERENCES items (title));
