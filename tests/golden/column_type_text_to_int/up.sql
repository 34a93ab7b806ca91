ALTER TABLE public.items ALTER COLUMN amount TYPE integer USING amount::integer;
