CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE feeling AS ENUM ('sad', 'ok', 'happy', 'ecstatic');
CREATE TABLE people (id integer PRIMARY KEY, current mood NOT NULL, history mood[]);
