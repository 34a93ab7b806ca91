DROP VIEW public.visits_by_year;

-- Rewrites public.visits and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- timestamp without time zone, keep it in step with a trigger, backfill it in batches keyed by the
-- primary key, move readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.visits ALTER COLUMN at TYPE timestamp without time zone USING at::timestamp without time zone;

CREATE VIEW public.visits_by_year AS
 SELECT EXTRACT(year FROM visits.at) AS y,
    count(*) AS n
   FROM visits
  GROUP BY (EXTRACT(year FROM visits.at));
