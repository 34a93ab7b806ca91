CREATE TABLE orders (id integer PRIMARY KEY, note text);
CREATE TABLE audit (at timestamptz NOT NULL, what text);
CREATE TABLE events (id integer PRIMARY KEY);
ALTER TABLE events REPLICA IDENTITY NOTHING;
