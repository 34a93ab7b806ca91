CREATE TABLE items (id integer NOT NULL, name text, status text DEFAULT 'active', price numeric DEFAULT 0);
CREATE TABLE books () INHERITS (items);
ALTER TABLE books ALTER COLUMN name SET NOT NULL;
ALTER TABLE books ALTER COLUMN status SET DEFAULT 'draft';
CREATE TABLE games () INHERITS (items);
ALTER TABLE games ALTER COLUMN price SET DEFAULT 10;
