SET check_function_bodies = off;

CREATE OR REPLACE FUNCTION public.restricted_new()
 RETURNS integer
 LANGUAGE sql
AS $function$SELECT 2$function$;

REVOKE EXECUTE ON FUNCTION public.add_one(i integer) FROM PUBLIC;

REVOKE EXECUTE ON FUNCTION public.restricted_new() FROM PUBLIC;

REVOKE EXECUTE ON PROCEDURE public.touch() FROM PUBLIC;

GRANT EXECUTE ON FUNCTION public.add_one(i integer) TO golden_reader;

GRANT EXECUTE ON FUNCTION public.secret() TO PUBLIC;

GRANT EXECUTE ON FUNCTION public.secret() TO golden_reader WITH GRANT OPTION;

GRANT EXECUTE ON PROCEDURE public.touch() TO golden_writer;
