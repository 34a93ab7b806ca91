-- DESTRUCTIVE: drops table public.events, its partitions and their data
DROP TABLE public.events;
