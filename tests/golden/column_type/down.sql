ALTER TABLE public.items ALTER COLUMN qty DROP DEFAULT;

ALTER TABLE public.items ALTER COLUMN qty TYPE integer USING qty::integer;

ALTER TABLE public.items ALTER COLUMN qty SET DEFAULT 1;

ALTER TABLE public.items ALTER COLUMN code TYPE character varying(8) USING code::character varying(8);
