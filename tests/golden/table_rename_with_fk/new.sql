CREATE TABLE products (id serial PRIMARY KEY, name text CHECK (name <> ''));
CREATE INDEX products_name_idx ON products (name);
CREATE TABLE orders (id integer PRIMARY KEY, item_id integer REFERENCES products (id));
CREATE VIEW item_names AS SELECT id, name FROM products;
