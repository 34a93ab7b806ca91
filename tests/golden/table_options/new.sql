CREATE TABLE items (id integer PRIMARY KEY, name text) WITH (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.05);
