CREATE TABLE accounts (id integer NOT NULL, email text NOT NULL);
CREATE UNIQUE INDEX accounts_email_key ON accounts (email);
ALTER TABLE accounts REPLICA IDENTITY USING INDEX accounts_email_key;
CREATE TABLE sessions (id integer NOT NULL, token text NOT NULL);
CREATE UNIQUE INDEX sessions_token_key ON sessions (token);
ALTER TABLE sessions REPLICA IDENTITY USING INDEX sessions_token_key;
CREATE TABLE tags (id integer NOT NULL, name text NOT NULL, CONSTRAINT tags_name_key UNIQUE (name));
ALTER TABLE tags REPLICA IDENTITY FULL;
