ALTER TABLE public.items ADD COLUMN legacy_code character varying(8);
