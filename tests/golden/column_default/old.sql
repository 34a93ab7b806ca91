CREATE TABLE items (id integer PRIMARY KEY, status text DEFAULT 'new', created timestamptz, hits integer DEFAULT 0);
