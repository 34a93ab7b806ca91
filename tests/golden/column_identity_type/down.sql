ALTER TABLE public.items ALTER COLUMN id TYPE integer USING id::integer;
