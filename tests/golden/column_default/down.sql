ALTER TABLE public.items ALTER COLUMN status SET DEFAULT 'new'::text;

ALTER TABLE public.items ALTER COLUMN created DROP DEFAULT;

ALTER TABLE public.items ALTER COLUMN hits SET DEFAULT 0;
