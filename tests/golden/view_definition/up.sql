DROP VIEW public.top_customers;

DROP VIEW public.customer_totals;

CREATE VIEW public.checked_orders WITH (check_option=local, security_barrier=true) AS
 SELECT orders.id,
    orders.total
   FROM orders
  WHERE (orders.total > (0)::numeric);

CREATE VIEW public.customer_totals AS
 SELECT orders.customer,
    sum(orders.total) AS total,
    count(*) AS orders
   FROM orders
  GROUP BY orders.customer;

CREATE VIEW public.top_customers AS
 SELECT customer_totals.customer
   FROM customer_totals
  WHERE (customer_totals.total > (1000)::numeric);
