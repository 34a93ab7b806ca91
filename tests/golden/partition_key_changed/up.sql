-- DESTRUCTIVE: drops table public.metrics, its partitions and their data to create it again (its partitioning changes)
DROP TABLE public.metrics;

CREATE TABLE public.metrics (
    id bigint NOT NULL,
    at date NOT NULL,
    value double precision
) PARTITION BY HASH (id);

CREATE TABLE public.metrics_h0 PARTITION OF public.metrics FOR VALUES WITH (modulus 2, remainder 0);

CREATE TABLE public.metrics_h1 PARTITION OF public.metrics FOR VALUES WITH (modulus 2, remainder 1);
