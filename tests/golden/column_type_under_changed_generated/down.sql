ALTER TABLE public.prices DROP COLUMN euros;

ALTER TABLE public.prices ALTER COLUMN cents TYPE integer USING cents::integer;

ALTER TABLE public.prices ADD COLUMN euros numeric GENERATED ALWAYS AS (((cents)::numeric / 100.0)) STORED;
