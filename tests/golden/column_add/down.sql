-- DESTRUCTIVE: drops column public.items.price and its data
ALTER TABLE public.items DROP COLUMN price;

-- DESTRUCTIVE: drops column public.items.note and its data
ALTER TABLE public.items DROP COLUMN note;
