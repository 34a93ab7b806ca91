CREATE TABLE parents (id integer PRIMARY KEY, code text UNIQUE);
CREATE TABLE children (id integer PRIMARY KEY, parent_id integer REFERENCES parents (id), position integer,
  CONSTRAINT children_position_key UNIQUE (parent_id, position));
