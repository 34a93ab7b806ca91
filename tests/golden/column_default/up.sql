ALTER TABLE public.items ALTER COLUMN status SET DEFAULT 'draft'::text;

ALTER TABLE public.items ALTER COLUMN created SET DEFAULT now();

ALTER TABLE public.items ALTER COLUMN hits DROP DEFAULT;
