CREATE TABLE metrics (id integer NOT NULL, day integer NOT NULL, legacy text) PARTITION BY LIST (day);
CREATE TABLE metrics_1 PARTITION OF metrics FOR VALUES IN (1);
CREATE TABLE metrics_2 (id integer NOT NULL, day integer NOT NULL);
