DROP VIEW public.open_orders;

ALTER TABLE public.orders DROP CONSTRAINT orders_channel_check;

ALTER TABLE public.orders DROP CONSTRAINT orders_status_check;

DROP INDEX CONCURRENTLY public.orders_open;

-- DESTRUCTIVE: drops column public.orders.sold_by and its data
ALTER TABLE public.orders DROP COLUMN sold_by;

DROP DOMAIN public.sales_channel;
