CREATE TABLE items (id integer PRIMARY KEY, name text, code text COLLATE "C");
