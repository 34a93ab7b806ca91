DROP VIEW public.order_list;

CREATE VIEW public.order_list AS
 SELECT orders.id,
    orders.total
   FROM orders;

-- DESTRUCTIVE: drops column public.orders.legacy and its data
ALTER TABLE public.orders DROP COLUMN legacy;
