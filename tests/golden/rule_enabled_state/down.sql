ALTER TABLE public.orders ENABLE RULE orders_log;
