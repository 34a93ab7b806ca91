CREATE TABLE orders (id integer PRIMARY KEY, n integer, note text);
CREATE TABLE order_log (id integer, logged_at timestamptz DEFAULT now());
CREATE VIEW big_orders AS SELECT id, n FROM orders WHERE n > 100;
