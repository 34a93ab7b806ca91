SET check_function_bodies = off;

DROP VIEW public.urgent_alerts;

DROP FUNCTION public.is_urgent(l level);

DROP INDEX CONCURRENTLY public.alerts_urgent_idx;

-- DESTRUCTIVE: removes value 'mid' from enum public.level: rows holding it fail to convert
-- Converts the columns of public.alerts that use public.level under ACCESS EXCLUSIVE, a rewrite
-- unless binary coercible. Online, over several releases: a new column of the new type per column,
-- kept in step by a trigger and filled in batches, then switched to and the old one dropped.
ALTER TYPE public.level RENAME TO level__retort_old;

CREATE TYPE public.level AS ENUM ('low', 'high');

-- retort:lint-ignore changing-column-type
ALTER TABLE public.alerts ALTER COLUMN level TYPE public.level USING level::text::public.level;

DROP TYPE public.level__retort_old;

CREATE OR REPLACE FUNCTION public.is_urgent(l level)
 RETURNS boolean
 LANGUAGE sql
 IMMUTABLE
AS $function$ SELECT l = 'high' $function$;

CREATE INDEX CONCURRENTLY alerts_urgent_idx ON public.alerts USING btree (id) WHERE (level = 'high'::level);

CREATE VIEW public.urgent_alerts AS
 SELECT alerts.id
   FROM alerts
  WHERE is_urgent(alerts.level);
