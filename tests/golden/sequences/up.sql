CREATE SEQUENCE public.invoice_seq START WITH 100;

ALTER SEQUENCE public.ticket_seq AS integer INCREMENT BY 5 MAXVALUE 100000 START WITH 10 CACHE 20 CYCLE;

ALTER TABLE public.tickets ALTER COLUMN n SET DEFAULT nextval('invoice_seq'::regclass);

ALTER SEQUENCE public.invoice_seq OWNED BY public.tickets.n;

DROP SEQUENCE public.old_seq;
