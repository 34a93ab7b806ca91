-- DESTRUCTIVE: drops column public.items.color and its data
ALTER TABLE public.items DROP COLUMN color;

DROP TYPE public.color;
