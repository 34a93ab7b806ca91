-- DESTRUCTIVE: drops table public.orders_v1 and its data
DROP TABLE public.orders_v1;

CREATE TABLE public.orders_v2 (
    id integer NOT NULL,
    placed_at date,
    total numeric
);

ALTER TABLE public.orders_v2 ADD CONSTRAINT orders_id_unique UNIQUE (id);

ALTER TABLE public.orders_v2 ADD CONSTRAINT orders_v2_pkey PRIMARY KEY (id);

CREATE INDEX orders_placed_at_idx ON public.orders_v2 USING btree (placed_at);
