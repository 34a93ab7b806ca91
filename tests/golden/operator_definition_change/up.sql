DROP OPERATOR public.~~ (integer, integer);

CREATE OPERATOR public.~~ (FUNCTION = public.int_far, LEFTARG = integer, RIGHTARG = integer);
