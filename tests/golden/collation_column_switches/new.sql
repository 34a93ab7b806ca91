CREATE COLLATION german_phonebook (provider = icu, locale = 'de-u-co-phonebk');
CREATE TABLE people (id integer PRIMARY KEY, name text COLLATE german_phonebook);
CREATE INDEX people_name_idx ON people (name);
