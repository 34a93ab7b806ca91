ALTER TABLE public.other NO INHERIT public.base;

-- DESTRUCTIVE: drops column public.base.note and its data
ALTER TABLE public.base DROP COLUMN note;

-- DESTRUCTIVE: drops column public.other.note and its data
ALTER TABLE public.other DROP COLUMN note;
