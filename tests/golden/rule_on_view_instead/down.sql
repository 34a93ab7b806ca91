DROP RULE big_orders_delete ON public.big_orders;

DROP RULE big_orders_insert ON public.big_orders;
