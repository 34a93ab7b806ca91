CREATE TABLE visits (id integer PRIMARY KEY, at timestamptz NOT NULL);
CREATE VIEW visits_by_year AS SELECT date_part('year', at) AS y, count(*) AS n FROM visits GROUP BY 1;
