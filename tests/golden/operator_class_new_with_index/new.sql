CREATE FUNCTION int_cmp_reverse(integer, integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT btint4cmp($2, $1)';
CREATE TABLE scores (id integer PRIMARY KEY, points integer);
CREATE OPERATOR CLASS int_reverse_ops FOR TYPE integer USING btree AS OPERATOR 1 >, OPERATOR 2 >=, OPERATOR 3 =, OPERATOR 4 <=, OPERATOR 5 <, FUNCTION 1 int_cmp_reverse(integer, integer);
COMMENT ON OPERATOR CLASS int_reverse_ops USING btree IS 'largest first';
CREATE INDEX scores_points_idx ON scores (points int_reverse_ops);
