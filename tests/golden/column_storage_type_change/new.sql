CREATE TABLE items (id integer PRIMARY KEY, code varchar(40), label varchar(80), note text);
ALTER TABLE items ALTER COLUMN label SET COMPRESSION lz4;
ALTER TABLE items ALTER COLUMN note SET STORAGE MAIN;
