CREATE TABLE kept (id integer);
