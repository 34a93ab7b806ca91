CREATE TABLE orders (id integer PRIMARY KEY, total numeric);
CREATE VIEW order_list AS SELECT id, total FROM orders;
