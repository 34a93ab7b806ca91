ALTER TABLE public.items ALTER COLUMN status SET DEFAULT 'new'::text;

ALTER TABLE public.items ADD COLUMN legacy text;

-- DESTRUCTIVE: drops column public.items.price and its data
ALTER TABLE public.items DROP COLUMN price;
