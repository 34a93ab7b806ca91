CREATE TABLE events (id bigint, code text,
  CONSTRAINT events_pkey PRIMARY KEY (id) WITH (fillfactor=70) USING INDEX TABLESPACE pg_default,
  CONSTRAINT events_code_key UNIQUE (code) INCLUDE (id) WITH (fillfactor=80, deduplicate_items=off) DEFERRABLE);
CREATE TABLE tags (id integer, name text, CONSTRAINT tags_pkey PRIMARY KEY (id));
