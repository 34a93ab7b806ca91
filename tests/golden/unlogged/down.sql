ALTER TABLE public.cache SET UNLOGGED;

ALTER TABLE public.durable SET LOGGED;

-- DESTRUCTIVE: drops table public.scratch and its data
DROP TABLE public.scratch;
