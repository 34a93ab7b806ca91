DROP TYPE public.point3;

ALTER TYPE public.money_amount
    DROP ATTRIBUTE note,
    ALTER ATTRIBUTE amount TYPE numeric;

CREATE TYPE public.point3 AS (
    x integer,
    y integer,
    z integer
);

-- DESTRUCTIVE: drops table public.ledger and its data
DROP TABLE public.ledger;

DROP TYPE public.pair;
