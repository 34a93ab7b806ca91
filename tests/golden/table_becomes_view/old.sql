CREATE TABLE active_users (id integer PRIMARY KEY, name text);
CREATE TABLE users (id integer PRIMARY KEY, name text, active boolean NOT NULL DEFAULT true);
