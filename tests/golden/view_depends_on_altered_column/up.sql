DROP VIEW public.big_order_ids;

DROP VIEW public.big_orders;

ALTER TABLE public.orders ALTER COLUMN total TYPE numeric(12,2) USING total::numeric(12,2);

CREATE VIEW public.big_orders AS
 SELECT orders.id,
    orders.total
   FROM orders
  WHERE (orders.total > (100)::numeric);

CREATE VIEW public.big_order_ids AS
 SELECT big_orders.id
   FROM big_orders;

COMMENT ON VIEW public.big_orders IS 'orders over 100';
