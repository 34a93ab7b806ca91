CREATE EXTENSION pg_trgm;
CREATE TABLE docs (id integer PRIMARY KEY, title text);
CREATE INDEX docs_title_trgm_idx ON docs USING gin (title gin_trgm_ops);
