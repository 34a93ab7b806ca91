ALTER TABLE public.items ADD COLUMN name text;

-- DESTRUCTIVE: drops column public.items.title and its data
ALTER TABLE public.items DROP COLUMN title;
