DROP RULE orders_log ON public.orders;
