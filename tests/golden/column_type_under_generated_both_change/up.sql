ALTER TABLE public.lines DROP COLUMN doubled;

ALTER TABLE public.lines ALTER COLUMN qty TYPE bigint USING qty::bigint;

ALTER TABLE public.lines ADD COLUMN doubled bigint GENERATED ALWAYS AS ((qty * 2)) STORED;
