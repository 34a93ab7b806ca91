CREATE TABLE accounts (id integer NOT NULL, email text NOT NULL);
CREATE TABLE sessions (id integer NOT NULL, token text NOT NULL);
CREATE UNIQUE INDEX sessions_id_key ON sessions (id);
ALTER TABLE sessions REPLICA IDENTITY USING INDEX sessions_id_key;
CREATE TABLE tags (id integer NOT NULL, name text NOT NULL, CONSTRAINT tags_name_key UNIQUE (name));
ALTER TABLE tags REPLICA IDENTITY USING INDEX tags_name_key;
