CREATE TABLE people (id integer PRIMARY KEY, name text);
CREATE INDEX people_name_idx ON people (name);
