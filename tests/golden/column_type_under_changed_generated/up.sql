ALTER TABLE public.prices DROP COLUMN euros;

ALTER TABLE public.prices ALTER COLUMN cents TYPE numeric(12,2) USING cents::numeric(12,2);

ALTER TABLE public.prices ADD COLUMN euros numeric GENERATED ALWAYS AS (round((cents / 100.0), 2)) STORED;
