CREATE TABLE orders (id integer PRIMARY KEY, n integer, note text);
CREATE TABLE order_log (id integer, logged_at timestamptz DEFAULT now());
CREATE VIEW big_orders AS SELECT id, n FROM orders WHERE n > 100;
CREATE RULE big_orders_insert AS ON INSERT TO big_orders DO INSTEAD INSERT INTO orders (id, n) VALUES (new.id, new.n);
CREATE RULE big_orders_delete AS ON DELETE TO big_orders DO INSTEAD NOTHING;
