SET check_function_bodies = off;

CREATE OR REPLACE FUNCTION public.count_items()
 RETURNS bigint
 LANGUAGE sql
 STABLE
AS $function$ SELECT count(*) FROM items $function$;

CREATE TABLE public.items (
    id integer NOT NULL,
    n integer DEFAULT 0
);

ALTER TABLE public.items ADD CONSTRAINT items_n_check CHECK ((n >= 0));

ALTER TABLE public.items ADD CONSTRAINT items_pkey PRIMARY KEY (id);

CREATE VIEW public.item_stats AS
 SELECT count_items() AS total;

CREATE OR REPLACE FUNCTION public.first_item()
 RETURNS SETOF items
 LANGUAGE sql
AS $function$ SELECT * FROM items ORDER BY id LIMIT 1 $function$;
