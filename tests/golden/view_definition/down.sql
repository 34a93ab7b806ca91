DROP VIEW public.checked_orders;

DROP VIEW public.top_customers;

DROP VIEW public.customer_totals;

CREATE VIEW public.customer_totals AS
 SELECT orders.customer,
    sum(orders.total) AS total
   FROM orders
  GROUP BY orders.customer;

CREATE VIEW public.top_customers AS
 SELECT customer_totals.customer
   FROM customer_totals
  WHERE (customer_totals.total > (1000)::numeric);
