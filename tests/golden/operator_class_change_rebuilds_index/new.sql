CREATE FUNCTION int_cmp_reverse(integer, integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT btint4cmp($2, $1)';
CREATE TABLE scores (id integer PRIMARY KEY, points integer);
CREATE FUNCTION int_cmp_plain(integer, integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT btint4cmp($1, $2)';
CREATE OPERATOR CLASS int_odd_ops FOR TYPE integer USING btree AS OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >, FUNCTION 1 int_cmp_plain(integer, integer);
CREATE INDEX scores_points_idx ON scores (points int_odd_ops);
