SET check_function_bodies = off;

DROP VIEW public.urgent_alerts;

DROP FUNCTION public.is_urgent(l level);

DROP INDEX public.alerts_urgent_idx;

-- DESTRUCTIVE: removes value 'mid' from enum public.level: rows holding it fail to convert
CREATE TYPE public.level__retort_new AS ENUM ('low', 'high');

ALTER TABLE public.alerts ALTER COLUMN level TYPE public.level__retort_new USING level::text::public.level__retort_new;

DROP TYPE public.level;

ALTER TYPE public.level__retort_new RENAME TO level;

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
