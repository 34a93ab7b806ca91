CREATE SCHEMA reporting;

CREATE TABLE reporting."Daily Totals" (
    day date NOT NULL,
    "order" integer,
    total numeric
);

ALTER TABLE reporting."Daily Totals" ADD CONSTRAINT "Daily Totals_pkey" PRIMARY KEY (day);

CREATE VIEW reporting.recent AS
 SELECT "Daily Totals".day,
    "Daily Totals".total
   FROM reporting."Daily Totals"
  WHERE ("Daily Totals".day > '2024-01-01'::date);

COMMENT ON SCHEMA reporting IS 'reports';
