CREATE TABLE items (id integer PRIMARY KEY, name text) WITH (fillfactor = 90, autovacuum_enabled = false);
