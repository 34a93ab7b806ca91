-- DESTRUCTIVE: drops column public.events.source and its data
ALTER TABLE public.events DROP COLUMN source;
