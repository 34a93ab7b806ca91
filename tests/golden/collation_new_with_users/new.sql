CREATE COLLATION case_insensitive (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE COLLATION german_phonebook (provider = icu, locale = 'de-u-co-phonebk');
CREATE COLLATION c_utf8 (provider = libc, lc_collate = 'C', lc_ctype = 'C.UTF-8');
COMMENT ON COLLATION german_phonebook IS 'sorts ä as ae';
CREATE DOMAIN email AS text COLLATE case_insensitive;
CREATE TABLE people (id integer PRIMARY KEY, name text COLLATE german_phonebook, email email, code text COLLATE c_utf8);
CREATE INDEX people_name_idx ON people (name COLLATE c_utf8);
