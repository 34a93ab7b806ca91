CREATE TABLE items (id integer NOT NULL, name text, status text DEFAULT 'new', legacy text);
-- Children without columns of their own: a column a parent gains lands after a child's own
-- columns, where a create script (like pg_dump's) puts the inherited ones first.
CREATE TABLE books () INHERITS (items);
ALTER TABLE books ALTER COLUMN name SET NOT NULL;
CREATE TABLE games () INHERITS (items);
