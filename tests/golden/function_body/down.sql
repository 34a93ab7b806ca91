SET check_function_bodies = off;

CREATE OR REPLACE FUNCTION public.add_tax(amount numeric)
 RETURNS numeric
 LANGUAGE sql
 IMMUTABLE
AS $function$ SELECT amount * 1.1 $function$;

CREATE OR REPLACE FUNCTION public.greet(who text)
 RETURNS text
 LANGUAGE plpgsql
AS $function$ BEGIN RETURN 'hello ' || who; END $function$;
