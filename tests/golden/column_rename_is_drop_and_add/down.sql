ALTER TABLE public.items ADD COLUMN title text;

-- DESTRUCTIVE: drops column public.items.name and its data
ALTER TABLE public.items DROP COLUMN name;
