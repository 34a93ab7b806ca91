-- A policy's expressions are printed by pg_get_expr with the EXTRACT field as written, like
-- views and checks (view_extract_field_case): created again they print EXTRACT(year FROM ...).
CREATE TABLE bookings (id integer PRIMARY KEY, day date NOT NULL);
ALTER TABLE bookings ENABLE ROW LEVEL SECURITY;
CREATE POLICY this_year ON bookings
  USING (extract('YEAR' from day) = extract('Year' from now()))
  WITH CHECK (extract('Month' from day) BETWEEN 1 AND 12);
