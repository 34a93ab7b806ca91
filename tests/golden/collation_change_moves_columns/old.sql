CREATE COLLATION names (provider = icu, locale = 'de-u-co-phonebk');
COMMENT ON COLLATION names IS 'German phone book order';
CREATE TABLE people (id integer PRIMARY KEY, name text COLLATE names, nickname text COLLATE names);
CREATE INDEX people_name_idx ON people (name);
CREATE VIEW sorted_people AS SELECT id, name FROM people ORDER BY name;
