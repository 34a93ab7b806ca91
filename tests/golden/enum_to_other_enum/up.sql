ALTER TABLE public.people ALTER COLUMN current TYPE feeling USING current::text::feeling;

ALTER TABLE public.people ALTER COLUMN history TYPE feeling[] USING history::text[]::feeling[];
