CREATE TABLE docs (id integer PRIMARY KEY, title text, body text, tags text[], created timestamptz);
CREATE INDEX docs_created_idx ON docs (created);
