CREATE TABLE keep (id integer PRIMARY KEY);
