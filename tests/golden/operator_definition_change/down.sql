DROP OPERATOR public.~~ (integer, integer);

CREATE OPERATOR public.~~ (FUNCTION = public.int_near, LEFTARG = integer, RIGHTARG = integer);
