CREATE TABLE items (id integer GENERATED ALWAYS AS IDENTITY, name text);
