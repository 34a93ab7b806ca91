CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
CREATE DOMAIN code AS text;
CREATE TABLE items (id integer PRIMARY KEY, qty positive, code code);
