DROP VIEW public.visits_by_year;

ALTER TABLE public.visits ALTER COLUMN at TYPE timestamp without time zone USING at::timestamp without time zone;

CREATE VIEW public.visits_by_year AS
 SELECT EXTRACT(year FROM visits.at) AS y,
    count(*) AS n
   FROM visits
  GROUP BY (EXTRACT(year FROM visits.at));
