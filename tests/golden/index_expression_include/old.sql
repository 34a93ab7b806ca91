CREATE TABLE docs (id integer PRIMARY KEY, title text, body text, tags text[], created timestamptz);
