CREATE FUNCTION int_near(integer, integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT abs($1 - $2) < 2';
CREATE FUNCTION int_far(integer, integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT abs($1 - $2) >= 2';
CREATE TABLE readings (id integer PRIMARY KEY, value integer);
