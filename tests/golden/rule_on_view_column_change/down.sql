DROP RULE order_view_insert ON public.order_view;

DROP RULE order_view_log ON public.order_view;

DROP VIEW public.order_view;

ALTER TABLE public.orders ALTER COLUMN n TYPE integer USING n::integer;

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
