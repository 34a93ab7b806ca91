SET check_function_bodies = off;

DROP VIEW public.totals;

DROP FUNCTION public.total_qty();

ALTER TABLE public.items ALTER COLUMN qty TYPE integer USING qty::integer;

CREATE OR REPLACE FUNCTION public.total_qty()
 RETURNS bigint
 LANGUAGE sql
 STABLE
BEGIN ATOMIC
 SELECT sum(items.qty) AS sum
    FROM items;
END;

CREATE VIEW public.totals AS
 SELECT total_qty() AS total;
