-- The field as written ('YEAR', 'Month') is what PostgreSQL prints back (EXTRACT(YEAR FROM ...));
-- created again from that text it prints EXTRACT(year FROM ...). ledgersmb's periods view.
CREATE TABLE bookings (
  id integer PRIMARY KEY,
  day date NOT NULL CHECK (extract('Month' from day) BETWEEN 1 AND 12)
);
CREATE INDEX bookings_year ON bookings ((extract('YEAR' from day)));
CREATE VIEW periods AS
  SELECT 'ytd'::text AS id, (extract('YEAR' from now())::text || '-01-01')::date AS date_from,
         'EXTRACT(YEAR FROM now())' AS as_text
  UNION
  SELECT 'last_year', ((extract('YEAR' from now()) - 1)::text || '-01-01')::date, '';
