-- DESTRUCTIVE: drops table public.readings, its partitions and their data to create it again (its partitioning changes)
DROP TABLE public.readings;

CREATE TABLE public.readings (
    id integer NOT NULL,
    sensor integer NOT NULL,
    at date
);

CREATE INDEX readings_at_idx ON public.readings USING btree (at);
