DROP VIEW public.visits_by_year;

-- Rewrites public.visits and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- timestamp with time zone, keep it in step with a trigger, backfill it in batches keyed by the
-- primary key, move readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.visits ALTER COLUMN at TYPE timestamp with time zone USING at::timestamp with time zone;

CREATE VIEW public.visits_by_year AS
 SELECT date_part('year'::text, visits.at) AS y,
    count(*) AS n
   FROM visits
  GROUP BY (date_part('year'::text, visits.at));
