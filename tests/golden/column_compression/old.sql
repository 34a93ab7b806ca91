CREATE TABLE pages (id integer PRIMARY KEY, html text, raw bytea, meta jsonb);
ALTER TABLE pages ALTER COLUMN meta SET COMPRESSION pglz;
