SET check_function_bodies = off;

DROP VIEW public.urgent_alerts;

DROP FUNCTION public.is_urgent(l level);

DROP INDEX public.alerts_urgent_idx;

-- DESTRUCTIVE: removes value 'mid' from enum public.level: rows holding it fail to convert
ALTER TYPE public.level RENAME TO level__retort_old;

CREATE TYPE public.level AS ENUM ('low', 'high');

ALTER TABLE public.alerts ALTER COLUMN level TYPE public.level USING level::text::public.level;

DROP TYPE public.level__retort_old;

CREATE OR REPLACE FUNCTION public.is_urgent(l level)
 RETURNS boolean
 LANGUAGE sql
 IMMUTABLE
AS $function$ SELECT l = 'high' $function$;

CREATE INDEX alerts_urgent_idx ON public.alerts USING btree (id) WHERE (level = 'high'::level);

CREATE VIEW public.urgent_alerts AS
 SELECT alerts.id
   FROM alerts
  WHERE is_urgent(alerts.level);
