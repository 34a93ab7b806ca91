CREATE TABLE prices (id integer PRIMARY KEY, cents numeric(12,2) NOT NULL, euros numeric GENERATED ALWAYS AS (round(cents / 100.0, 2)) STORED);
