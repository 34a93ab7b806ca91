CREATE TABLE docs (id integer PRIMARY KEY, title text);
