CREATE TABLE lines (id integer PRIMARY KEY, qty bigint NOT NULL, doubled bigint GENERATED ALWAYS AS (qty * 2) STORED);
