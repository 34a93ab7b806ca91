CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL, price numeric(10,2) DEFAULT 0 NOT NULL, note text);
