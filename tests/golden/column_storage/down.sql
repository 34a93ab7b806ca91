ALTER TABLE public.documents ALTER COLUMN body SET STORAGE EXTENDED;

ALTER TABLE public.documents ALTER COLUMN blob SET STORAGE EXTENDED;

ALTER TABLE public.documents ALTER COLUMN price SET STORAGE MAIN;

ALTER TABLE public.documents ALTER COLUMN tags SET STORAGE MAIN;

-- DESTRUCTIVE: drops column public.documents.extra and its data
ALTER TABLE public.documents DROP COLUMN extra;

-- DESTRUCTIVE: drops table public.archive and its data
DROP TABLE public.archive;
