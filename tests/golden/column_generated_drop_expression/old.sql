CREATE TABLE items (id integer PRIMARY KEY, price numeric NOT NULL, doubled numeric GENERATED ALWAYS AS (price * 2) STORED);
