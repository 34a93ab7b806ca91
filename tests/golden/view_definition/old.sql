CREATE TABLE orders (id integer PRIMARY KEY, total numeric, customer text);
CREATE VIEW customer_totals AS SELECT customer, sum(total) AS total FROM orders GROUP BY customer;
CREATE VIEW top_customers AS SELECT customer FROM customer_totals WHERE total > 1000;
