CREATE COLLATION sort_numbers (provider = icu, locale = 'en-u-kn-true', deterministic = false);
CREATE TABLE people (id integer PRIMARY KEY, name text);
