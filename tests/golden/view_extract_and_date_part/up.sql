DROP VIEW public.visits_by_year;

ALTER TABLE public.visits ALTER COLUMN at TYPE timestamp with time zone USING at::timestamp with time zone;

CREATE VIEW public.visits_by_year AS
 SELECT date_part('year'::text, visits.at) AS y,
    count(*) AS n
   FROM visits
  GROUP BY (date_part('year'::text, visits.at));
