CREATE TABLE docs (id integer PRIMARY KEY, title text, body text, tags text[], created timestamptz);
CREATE INDEX docs_created_idx ON docs (created) WITH (fillfactor = 70);
CREATE INDEX docs_tags_idx ON docs USING gin (tags) WITH (fastupdate = off);
