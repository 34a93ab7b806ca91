CREATE TABLE items (id integer PRIMARY KEY, name text COLLATE "C", code text);
