CREATE TABLE events (id bigint PRIMARY KEY, code text, CONSTRAINT events_code_key UNIQUE (code));
CREATE TABLE tags (id integer, name text, CONSTRAINT tags_pkey PRIMARY KEY (id) WITH (fillfactor=90));
