SET check_function_bodies = off;

DROP VIEW public.totals;

DROP FUNCTION public.total_qty();

-- Rewrites public.items and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- numeric, keep it in step with a trigger, backfill it in batches keyed by the primary key, move
-- readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.items ALTER COLUMN qty TYPE numeric USING qty::numeric;

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
