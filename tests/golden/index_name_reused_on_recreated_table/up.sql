-- DESTRUCTIVE: drops table public.readings and its data to create it again (its partitioning changes)
DROP TABLE public.readings;

CREATE TABLE public.readings (
    id integer NOT NULL,
    sensor integer NOT NULL,
    at date
) PARTITION BY LIST (sensor);

CREATE TABLE public.readings_1 PARTITION OF public.readings FOR VALUES IN (1);

CREATE INDEX readings_at_idx ON public.readings USING btree (at);
