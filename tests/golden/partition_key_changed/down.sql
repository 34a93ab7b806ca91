-- DESTRUCTIVE: drops table public.metrics, its partitions and their data to create it again (its partitioning changes)
DROP TABLE public.metrics;

CREATE TABLE public.metrics (
    id bigint NOT NULL,
    at date NOT NULL,
    value double precision
) PARTITION BY RANGE (at);

CREATE TABLE public.metrics_2024 PARTITION OF public.metrics FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
