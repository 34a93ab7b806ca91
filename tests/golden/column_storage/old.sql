CREATE TABLE documents (id integer PRIMARY KEY, body text, blob bytea, price numeric, tags text[]);
ALTER TABLE documents ALTER COLUMN tags SET STORAGE MAIN;
