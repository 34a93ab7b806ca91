-- DESTRUCTIVE: drops column public.items.legacy_code and its data
ALTER TABLE public.items DROP COLUMN legacy_code;
