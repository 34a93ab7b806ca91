-- DESTRUCTIVE: drops table public.orders_v2 and its data
DROP TABLE public.orders_v2;

CREATE TABLE public.orders_v1 (
    id integer NOT NULL,
    placed_at date
);

ALTER TABLE public.orders_v1 ADD CONSTRAINT orders_id_unique UNIQUE (id);

ALTER TABLE public.orders_v1 ADD CONSTRAINT orders_v1_pkey PRIMARY KEY (id);

CREATE INDEX orders_placed_at_idx ON public.orders_v1 USING btree (placed_at);
