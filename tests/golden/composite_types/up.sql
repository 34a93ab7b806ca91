DROP TYPE public.point3;

ALTER TYPE public.money_amount
    ALTER ATTRIBUTE amount TYPE numeric(12,2),
    ADD ATTRIBUTE note text;

CREATE TYPE public.pair AS (
    a integer,
    b text COLLATE "C"
);

CREATE TYPE public.point3 AS (
    x integer,
    z integer,
    y integer
);

CREATE TABLE public.ledger (
    id integer NOT NULL,
    entry pair
);

ALTER TABLE public.ledger ADD CONSTRAINT ledger_pkey PRIMARY KEY (id);

COMMENT ON COLUMN public.pair.a IS 'first';
