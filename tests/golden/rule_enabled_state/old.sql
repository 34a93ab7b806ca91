CREATE TABLE orders (id integer PRIMARY KEY, n integer, note text);
CREATE TABLE order_log (id integer, logged_at timestamptz DEFAULT now());
CREATE RULE orders_log AS ON INSERT TO orders DO ALSO INSERT INTO order_log (id) VALUES (new.id);
