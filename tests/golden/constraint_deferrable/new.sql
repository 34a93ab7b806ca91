CREATE TABLE parents (id integer PRIMARY KEY, code text UNIQUE DEFERRABLE);
CREATE TABLE children (id integer PRIMARY KEY,
  parent_id integer CONSTRAINT children_parent_id_fkey REFERENCES parents (id) DEFERRABLE INITIALLY DEFERRED,
  position integer,
  CONSTRAINT children_position_key UNIQUE (parent_id, position) DEFERRABLE INITIALLY IMMEDIATE);
ALTER TABLE children ADD CONSTRAINT children_position_check CHECK (position >= 0) NOT VALID;
