CREATE TABLE lines (id integer PRIMARY KEY, qty integer NOT NULL, doubled integer GENERATED ALWAYS AS (qty * 2) STORED);
