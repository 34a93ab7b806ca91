CREATE TABLE orders (id integer PRIMARY KEY, n integer, note text);
CREATE TABLE order_log (id integer, logged_at timestamptz DEFAULT now());
CREATE VIEW order_view AS SELECT id, n FROM orders;
CREATE RULE order_view_insert AS ON INSERT TO order_view DO INSTEAD INSERT INTO orders (id, n) VALUES (new.id, new.n);
CREATE RULE order_view_log AS ON INSERT TO order_view DO ALSO INSERT INTO order_log (id) VALUES (new.id);
