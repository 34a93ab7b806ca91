-- DESTRUCTIVE: drops column public.items.seq and its data
ALTER TABLE public.items DROP COLUMN seq;

-- DESTRUCTIVE: drops column public.items.big and its data
ALTER TABLE public.items DROP COLUMN big;
