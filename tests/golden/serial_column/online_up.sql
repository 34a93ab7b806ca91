CREATE SEQUENCE public.items_big_seq;

CREATE SEQUENCE public.items_seq_seq AS integer;

-- The default is computed per row: added without it, set for new rows, existing rows filled in
-- batches, then NOT NULL.
ALTER TABLE public.items ADD COLUMN seq integer;

ALTER TABLE public.items ALTER COLUMN seq SET DEFAULT nextval('items_seq_seq'::regclass);

-- retort:batch size=10000 key=id
UPDATE public.items SET seq = DEFAULT WHERE id BETWEEN :batch_start AND :batch_end AND seq IS NULL;

-- NOT NULL without a scan under ACCESS EXCLUSIVE: a CHECK validated apart, which SET NOT NULL then
-- relies on.
ALTER TABLE public.items ADD CONSTRAINT items_seq_not_null CHECK (seq IS NOT NULL) NOT VALID;

ALTER TABLE public.items VALIDATE CONSTRAINT items_seq_not_null;

ALTER TABLE public.items ALTER COLUMN seq SET NOT NULL;

ALTER TABLE public.items DROP CONSTRAINT items_seq_not_null;

-- The default is computed per row: added without it, set for new rows, existing rows filled in
-- batches, then NOT NULL.
ALTER TABLE public.items ADD COLUMN big bigint;

ALTER TABLE public.items ALTER COLUMN big SET DEFAULT nextval('items_big_seq'::regclass);

-- retort:batch size=10000 key=id
UPDATE public.items SET big = DEFAULT WHERE id BETWEEN :batch_start AND :batch_end AND big IS NULL;

-- NOT NULL without a scan under ACCESS EXCLUSIVE: a CHECK validated apart, which SET NOT NULL then
-- relies on.
ALTER TABLE public.items ADD CONSTRAINT items_big_not_null CHECK (big IS NOT NULL) NOT VALID;

ALTER TABLE public.items VALIDATE CONSTRAINT items_big_not_null;

ALTER TABLE public.items ALTER COLUMN big SET NOT NULL;

ALTER TABLE public.items DROP CONSTRAINT items_big_not_null;

ALTER SEQUENCE public.items_big_seq OWNED BY public.items.big;

ALTER SEQUENCE public.items_seq_seq OWNED BY public.items.seq;
