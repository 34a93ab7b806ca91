CREATE TABLE visits (id integer PRIMARY KEY, at timestamp NOT NULL);
CREATE VIEW visits_by_year AS SELECT EXTRACT(year FROM at) AS y, count(*) AS n FROM visits GROUP BY 1;
