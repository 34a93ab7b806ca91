DROP RULE order_view_insert ON public.order_view;

DROP RULE order_view_log ON public.order_view;

DROP VIEW public.order_view;

-- Rewrites public.orders and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- bigint, keep it in step with a trigger, backfill it in batches keyed by the primary key, move
-- readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.orders ALTER COLUMN n TYPE bigint USING n::bigint;

CREATE VIEW public.order_view AS
 SELECT orders.id,
    orders.n
   FROM orders;

CREATE RULE order_view_insert AS
    ON INSERT TO public.order_view DO INSTEAD  INSERT INTO orders (id, n)
  VALUES (new.id, new.n);

CREATE RULE order_view_log AS
    ON INSERT TO public.order_view DO  INSERT INTO order_log (id)
  VALUES (new.id);
