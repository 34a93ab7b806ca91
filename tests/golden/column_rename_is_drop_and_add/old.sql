CREATE TABLE items (id integer PRIMARY KEY, title text);
