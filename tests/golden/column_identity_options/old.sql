CREATE TABLE items (id bigint GENERATED ALWAYS AS IDENTITY, name text);
