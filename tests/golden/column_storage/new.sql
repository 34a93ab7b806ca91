CREATE TABLE documents (id integer PRIMARY KEY, body text, blob bytea, price numeric, tags text[], extra text);
ALTER TABLE documents ALTER COLUMN body SET STORAGE EXTERNAL;
ALTER TABLE documents ALTER COLUMN blob SET STORAGE MAIN;
ALTER TABLE documents ALTER COLUMN price SET STORAGE EXTENDED;
ALTER TABLE documents ALTER COLUMN extra SET STORAGE PLAIN;
CREATE TABLE archive (id integer, body text);
ALTER TABLE archive ALTER COLUMN body SET STORAGE EXTERNAL;
