DROP VIEW public.big_order_ids;

DROP VIEW public.big_orders;

-- Rewrites public.orders and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- numeric(10,2), keep it in step with a trigger, backfill it in batches keyed by the primary key,
-- move readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.orders ALTER COLUMN total TYPE numeric(10,2) USING total::numeric(10,2);

CREATE VIEW public.big_orders AS
 SELECT orders.id,
    orders.total
   FROM orders
  WHERE (orders.total > (100)::numeric);

CREATE VIEW public.big_order_ids AS
 SELECT big_orders.id
   FROM big_orders;

COMMENT ON VIEW public.big_orders IS 'orders over 100';
