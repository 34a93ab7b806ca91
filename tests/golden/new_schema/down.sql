DROP VIEW reporting.recent;

-- DESTRUCTIVE: drops table reporting."Daily Totals" and its data
DROP TABLE reporting."Daily Totals";

DROP SCHEMA reporting;
