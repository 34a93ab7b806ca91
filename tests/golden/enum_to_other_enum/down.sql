ALTER TABLE public.people ALTER COLUMN current TYPE mood USING current::text::mood;

ALTER TABLE public.people ALTER COLUMN history TYPE mood[] USING history::text[]::mood[];
