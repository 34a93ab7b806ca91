CREATE TABLE public.logs (
    id integer NOT NULL,
    year integer NOT NULL
) PARTITION BY LIST (year);

CREATE TABLE public.logs_2025 PARTITION OF public.logs FOR VALUES IN (2025);

ALTER TABLE public.logs ATTACH PARTITION public.logs_2024 FOR VALUES IN (2024);
