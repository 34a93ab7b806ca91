CREATE TABLE items (id integer PRIMARY KEY, name text, note text NOT NULL);
