REVOKE EXECUTE ON FUNCTION public.add_one(i integer) FROM golden_reader;

REVOKE EXECUTE ON FUNCTION public.secret() FROM PUBLIC;

REVOKE EXECUTE ON FUNCTION public.secret() FROM golden_reader;

REVOKE EXECUTE ON PROCEDURE public.touch() FROM golden_writer;

GRANT EXECUTE ON FUNCTION public.add_one(i integer) TO PUBLIC;

GRANT EXECUTE ON PROCEDURE public.touch() TO PUBLIC;

DROP FUNCTION public.restricted_new();
