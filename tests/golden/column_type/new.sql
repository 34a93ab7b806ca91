CREATE TABLE items (id integer PRIMARY KEY, qty bigint DEFAULT 1 NOT NULL, code text);
