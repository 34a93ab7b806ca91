SET check_function_bodies = off;

DROP FUNCTION public.item_count(min_qty integer);

DROP FUNCTION public.label(item_id integer);

CREATE OR REPLACE FUNCTION public.item_count(min_qty integer)
 RETURNS integer
 LANGUAGE sql
AS $function$ SELECT min_qty $function$;

CREATE OR REPLACE FUNCTION public.label(id integer)
 RETURNS text
 LANGUAGE sql
AS $function$ SELECT id::text $function$;
