SET check_function_bodies = off;
CREATE FUNCTION count_items() RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT count(*) FROM items $$;
CREATE TABLE items (id integer PRIMARY KEY, n integer DEFAULT 0 CHECK (n >= 0));
CREATE FUNCTION first_item() RETURNS SETOF items LANGUAGE sql AS $$ SELECT * FROM items ORDER BY id LIMIT 1 $$;
CREATE VIEW item_stats AS SELECT count_items() AS total;
