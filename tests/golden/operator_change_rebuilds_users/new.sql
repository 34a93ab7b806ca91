CREATE FUNCTION int_near(integer, integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT abs($1 - $2) < 2';
CREATE FUNCTION int_very_near(integer, integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $1 = $2';
CREATE OPERATOR ~~ (LEFTARG = integer, RIGHTARG = integer, FUNCTION = int_very_near);
CREATE TABLE readings (id integer PRIMARY KEY, value integer, CONSTRAINT readings_value_check CHECK (value ~~ 10 OR value > 10));
CREATE INDEX readings_near_idx ON readings (id) WHERE value ~~ 0;
CREATE VIEW near_ten AS SELECT id FROM readings WHERE value ~~ 10;
