ALTER TABLE public.pages ALTER COLUMN html SET COMPRESSION default;

ALTER TABLE public.pages ALTER COLUMN raw SET COMPRESSION default;

ALTER TABLE public.pages ALTER COLUMN meta SET COMPRESSION pglz;

-- DESTRUCTIVE: drops column public.pages.snippet and its data
ALTER TABLE public.pages DROP COLUMN snippet;

-- DESTRUCTIVE: drops table public.thumbnails and its data
DROP TABLE public.thumbnails;
