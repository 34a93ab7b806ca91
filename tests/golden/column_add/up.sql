ALTER TABLE public.items ADD COLUMN price numeric(10,2) DEFAULT 0 NOT NULL;

ALTER TABLE public.items ADD COLUMN note text;
