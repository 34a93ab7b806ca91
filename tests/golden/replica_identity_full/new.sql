CREATE TABLE orders (id integer PRIMARY KEY, note text);
ALTER TABLE orders REPLICA IDENTITY FULL;
CREATE TABLE audit (at timestamptz NOT NULL, what text);
ALTER TABLE audit REPLICA IDENTITY NOTHING;
CREATE TABLE events (id integer PRIMARY KEY);
