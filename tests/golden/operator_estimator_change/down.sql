ALTER OPERATOR public.~~ (integer, integer) SET (RESTRICT = NONE, JOIN = NONE);
