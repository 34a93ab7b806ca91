SET check_function_bodies = off;

CREATE OR REPLACE FUNCTION public.as_written()
 RETURNS numeric
 LANGUAGE sql
 STABLE
AS $function$ SELECT extract('YEAR' from now()) $function$;

CREATE OR REPLACE FUNCTION public.this_year()
 RETURNS numeric
 LANGUAGE sql
 STABLE
RETURN EXTRACT('Year' FROM now());

CREATE OR REPLACE FUNCTION public.booking_year(b bookings)
 RETURNS numeric
 LANGUAGE sql
 STABLE
BEGIN ATOMIC
 SELECT EXTRACT('YEAR' FROM (b).day) AS "extract";
END;
