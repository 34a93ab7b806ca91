CREATE COLLATION sort_numbers (provider = icu, locale = 'en-u-kn-true');
CREATE TABLE people (id integer PRIMARY KEY, name text);
