ALTER TABLE public.items ALTER COLUMN code TYPE character varying(40) USING code::character varying(40);

ALTER TABLE public.items ALTER COLUMN label TYPE character varying(80) USING label::character varying(80);

ALTER TABLE public.items ALTER COLUMN note TYPE text USING note::text;

ALTER TABLE public.items ALTER COLUMN label SET COMPRESSION lz4;

ALTER TABLE public.items ALTER COLUMN note SET STORAGE MAIN;
