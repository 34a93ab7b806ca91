CREATE TABLE docs (id integer PRIMARY KEY, title text, body text, tags text[], created timestamptz);
CREATE INDEX docs_title_idx ON docs (title text_pattern_ops);
