CREATE TABLE old_things (id integer PRIMARY KEY, label text);
