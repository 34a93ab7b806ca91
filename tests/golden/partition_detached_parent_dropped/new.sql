CREATE TABLE logs_2024 (id integer NOT NULL, year integer NOT NULL);
