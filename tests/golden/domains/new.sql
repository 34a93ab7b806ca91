CREATE DOMAIN positive AS integer DEFAULT 1 NOT NULL CONSTRAINT positive_check CHECK (VALUE >= 1) CONSTRAINT positive_small CHECK (VALUE < 1000000);
CREATE DOMAIN code AS text COLLATE "C";
CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');
COMMENT ON DOMAIN email IS 'an address';
CREATE TABLE items (id integer PRIMARY KEY, qty positive, code code, contact email);
