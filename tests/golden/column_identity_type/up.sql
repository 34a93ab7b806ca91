ALTER TABLE public.items ALTER COLUMN id TYPE bigint USING id::bigint;
