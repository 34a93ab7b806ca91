-- A SQL-standard body is printed by the server with the EXTRACT field as written
-- (EXTRACT(YEAR FROM ...)); created again it prints EXTRACT(year FROM ...). A $$ body is the
-- user's own text and is kept as written, field case included.
CREATE TABLE bookings (id integer PRIMARY KEY, day date NOT NULL);
CREATE FUNCTION booking_year(b bookings) RETURNS numeric LANGUAGE sql STABLE
BEGIN ATOMIC
  SELECT extract('YEAR' from b.day);
END;
CREATE FUNCTION this_year() RETURNS numeric LANGUAGE sql STABLE
  RETURN extract('Year' from now());
CREATE FUNCTION as_written() RETURNS numeric LANGUAGE sql STABLE
  AS $$ SELECT extract('YEAR' from now()) $$;
