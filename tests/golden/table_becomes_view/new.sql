CREATE TABLE users (id integer PRIMARY KEY, name text, active boolean NOT NULL DEFAULT true);
CREATE VIEW active_users AS SELECT id, name FROM users WHERE active;
