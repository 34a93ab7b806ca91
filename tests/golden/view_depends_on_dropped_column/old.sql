CREATE TABLE orders (id integer PRIMARY KEY, total numeric, legacy text);
CREATE VIEW order_list AS SELECT id, total, legacy FROM orders;
