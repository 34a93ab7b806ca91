ALTER TABLE public.items ALTER COLUMN code TYPE text USING code::text;

ALTER TABLE public.items ALTER COLUMN label TYPE text USING label::text;

ALTER TABLE public.items ALTER COLUMN note TYPE character varying(20) USING note::character varying(20);

ALTER TABLE public.items ALTER COLUMN code SET STORAGE EXTERNAL;

ALTER TABLE public.items ALTER COLUMN label SET COMPRESSION lz4;

ALTER TABLE public.items ALTER COLUMN note SET STORAGE MAIN;
