ALTER OPERATOR public.~~ (integer, integer) SET (RESTRICT = eqsel, JOIN = eqjoinsel);
