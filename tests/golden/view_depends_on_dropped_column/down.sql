DROP VIEW public.order_list;

ALTER TABLE public.orders ADD COLUMN legacy text;

CREATE VIEW public.order_list AS
 SELECT orders.id,
    orders.total,
    orders.legacy
   FROM orders;
