CREATE TABLE audit_log (id bigint PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), entry text);
CREATE TABLE notes (id integer PRIMARY KEY, body text);
