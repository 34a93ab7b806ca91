CREATE TYPE color AS ENUM ('red', 'green', 'blue');
CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL, color color DEFAULT 'red');
