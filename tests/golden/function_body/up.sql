SET check_function_bodies = off;

CREATE OR REPLACE FUNCTION public.add_tax(amount numeric)
 RETURNS numeric
 LANGUAGE sql
 IMMUTABLE
AS $function$ SELECT amount * 1.2 $function$;

CREATE OR REPLACE FUNCTION public.greet(who text)
 RETURNS text
 LANGUAGE plpgsql
 STABLE
AS $function$ BEGIN RETURN 'hi ' || who; END $function$;
