ALTER TABLE public.lines DROP COLUMN doubled;

ALTER TABLE public.lines ALTER COLUMN qty TYPE integer USING qty::integer;

ALTER TABLE public.lines ADD COLUMN doubled integer GENERATED ALWAYS AS ((qty * 2)) STORED;
