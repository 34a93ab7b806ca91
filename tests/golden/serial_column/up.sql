CREATE SEQUENCE public.items_big_seq;

CREATE SEQUENCE public.items_seq_seq AS integer;

ALTER TABLE public.items ADD COLUMN seq integer DEFAULT nextval('items_seq_seq'::regclass) NOT NULL;

ALTER TABLE public.items ADD COLUMN big bigint DEFAULT nextval('items_big_seq'::regclass) NOT NULL;

ALTER SEQUENCE public.items_big_seq OWNED BY public.items.big;

ALTER SEQUENCE public.items_seq_seq OWNED BY public.items.seq;
