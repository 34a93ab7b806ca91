ALTER TABLE public.events ADD COLUMN source text DEFAULT 'api'::text;
