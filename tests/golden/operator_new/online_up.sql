SET check_function_bodies = off;

CREATE OR REPLACE FUNCTION public.negate(integer)
 RETURNS integer
 LANGUAGE sql
 IMMUTABLE
AS $function$SELECT -$1$function$;

CREATE OPERATOR public.!~~ (FUNCTION = public.int_far, LEFTARG = integer, RIGHTARG = integer, COMMUTATOR = OPERATOR(public.!~~), NEGATOR = OPERATOR(public.~~));

CREATE OPERATOR public.~- (FUNCTION = public.negate, RIGHTARG = integer);

CREATE OPERATOR public.~~ (FUNCTION = public.int_near, LEFTARG = integer, RIGHTARG = integer, COMMUTATOR = OPERATOR(public.~~), NEGATOR = OPERATOR(public.!~~));

-- Checked apart from the lock: NOT VALID now, VALIDATE below.
ALTER TABLE public.readings ADD CONSTRAINT readings_value_check CHECK (((NOT (value !~~ 0)) OR (value > 0))) NOT VALID;

ALTER TABLE public.readings VALIDATE CONSTRAINT readings_value_check;

CREATE VIEW public.close_readings AS
 SELECT readings.id
   FROM readings
  WHERE (readings.value ~~ 10);

COMMENT ON OPERATOR public.~~ (integer, integer) IS 'within one';
