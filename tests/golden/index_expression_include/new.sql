CREATE TABLE docs (id integer PRIMARY KEY, title text, body text, tags text[], created timestamptz);
CREATE UNIQUE INDEX docs_lower_title_idx ON docs (lower(title)) INCLUDE (created);
CREATE INDEX docs_created_desc_idx ON docs (created DESC NULLS LAST, id);
