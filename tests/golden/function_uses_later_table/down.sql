DROP VIEW public.item_stats;

DROP FUNCTION public.first_item();

-- DESTRUCTIVE: drops table public.items and its data
DROP TABLE public.items;

DROP FUNCTION public.count_items();
