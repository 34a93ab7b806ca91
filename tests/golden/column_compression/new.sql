CREATE TABLE pages (id integer PRIMARY KEY, html text COMPRESSION lz4, raw bytea COMPRESSION pglz, meta jsonb, snippet text COMPRESSION lz4);
CREATE TABLE thumbnails (id integer, image bytea COMPRESSION lz4);
ALTER TABLE thumbnails ALTER COLUMN image SET STORAGE EXTERNAL;
