DROP VIEW public.item_stats;

-- DESTRUCTIVE: drops table public.items and its data
DROP TABLE public.items;

DROP FUNCTION public.count_items();

DROP FUNCTION public.first_item();
