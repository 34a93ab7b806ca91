ALTER TABLE public.items ALTER COLUMN qty DROP DEFAULT;

ALTER TABLE public.items ALTER COLUMN qty TYPE bigint USING qty::bigint;

ALTER TABLE public.items ALTER COLUMN qty SET DEFAULT 1;

ALTER TABLE public.items ALTER COLUMN code TYPE text USING code::text;
