ALTER TABLE public.items ALTER COLUMN status SET DEFAULT 'active'::text;

ALTER TABLE public.items ADD COLUMN price numeric DEFAULT 0;

ALTER TABLE public.books ALTER COLUMN status SET DEFAULT 'draft'::text;

ALTER TABLE public.games ALTER COLUMN price SET DEFAULT 10;

-- DESTRUCTIVE: drops column public.items.legacy and its data
ALTER TABLE public.items DROP COLUMN legacy;
