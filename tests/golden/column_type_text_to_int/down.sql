ALTER TABLE public.items ALTER COLUMN amount TYPE text USING amount::text;
