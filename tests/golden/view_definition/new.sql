CREATE TABLE orders (id integer PRIMARY KEY, total numeric, customer text);
CREATE VIEW customer_totals AS SELECT customer, sum(total) AS total, count(*) AS orders FROM orders GROUP BY customer;
CREATE VIEW top_customers AS SELECT customer FROM customer_totals WHERE total > 1000;
CREATE VIEW checked_orders WITH (security_barrier = true) AS SELECT id, total FROM orders WHERE total > 0 WITH LOCAL CHECK OPTION;
