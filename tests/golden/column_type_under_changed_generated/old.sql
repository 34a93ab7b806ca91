CREATE TABLE prices (id integer PRIMARY KEY, cents integer NOT NULL, euros numeric GENERATED ALWAYS AS (cents / 100.0) STORED);
