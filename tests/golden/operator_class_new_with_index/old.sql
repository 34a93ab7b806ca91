CREATE FUNCTION int_cmp_reverse(integer, integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT btint4cmp($2, $1)';
CREATE TABLE scores (id integer PRIMARY KEY, points integer);
