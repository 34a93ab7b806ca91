CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL);
CREATE SCHEMA reporting;
COMMENT ON SCHEMA reporting IS 'reports';
CREATE TABLE reporting."Daily Totals" (day date PRIMARY KEY, "order" integer, total numeric);
CREATE VIEW reporting.recent AS SELECT day, total FROM reporting."Daily Totals" WHERE day > '2024-01-01';
