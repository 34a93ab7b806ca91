DROP VIEW public.near_ten;

ALTER TABLE public.readings DROP CONSTRAINT readings_value_check;

DROP INDEX CONCURRENTLY public.readings_near_idx;

DROP OPERATOR public.~~ (integer, integer);

CREATE OPERATOR public.~~ (FUNCTION = public.int_very_near, LEFTARG = integer, RIGHTARG = integer);

-- Checked apart from the lock: NOT VALID now, VALIDATE below.
ALTER TABLE public.readings ADD CONSTRAINT readings_value_check CHECK (((value ~~ 10) OR (value > 10))) NOT VALID;

ALTER TABLE public.readings VALIDATE CONSTRAINT readings_value_check;

CREATE INDEX CONCURRENTLY readings_near_idx ON public.readings USING btree (id) WHERE (value ~~ 0);

CREATE VIEW public.near_ten AS
 SELECT readings.id
   FROM readings
  WHERE (readings.value ~~ 10);
