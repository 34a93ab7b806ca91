ALTER TABLE public.orders DISABLE RULE orders_log;
