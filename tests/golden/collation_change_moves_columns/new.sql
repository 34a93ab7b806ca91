CREATE COLLATION names (provider = icu, locale = 'sv');
COMMENT ON COLLATION names IS 'Swedish order';
CREATE TABLE people (id integer PRIMARY KEY, name text COLLATE names, nickname text);
CREATE INDEX people_name_idx ON people (name);
CREATE VIEW sorted_people AS SELECT id, name FROM people ORDER BY name;
