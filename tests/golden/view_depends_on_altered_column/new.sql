CREATE TABLE orders (id integer PRIMARY KEY, total numeric(12,2), customer text);
CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100;
CREATE VIEW big_order_ids AS SELECT id FROM big_orders;
COMMENT ON VIEW big_orders IS 'orders over 100';
