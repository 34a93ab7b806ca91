DROP VIEW public.close_readings;

ALTER TABLE public.readings DROP CONSTRAINT readings_value_check;

DROP OPERATOR public.!~~ (integer, integer);

DROP OPERATOR public.~- (NONE, integer);

DROP OPERATOR public.~~ (integer, integer);

DROP FUNCTION public.negate(integer);
