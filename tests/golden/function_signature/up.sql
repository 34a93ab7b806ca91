SET check_function_bodies = off;

DROP FUNCTION public.item_count(min_qty integer);

DROP FUNCTION public.label(id integer);

CREATE OR REPLACE FUNCTION public.item_count(min_qty integer)
 RETURNS bigint
 LANGUAGE sql
AS $function$ SELECT min_qty::bigint $function$;

CREATE OR REPLACE FUNCTION public.label(item_id integer)
 RETURNS text
 LANGUAGE sql
AS $function$ SELECT item_id::text $function$;
