CREATE TABLE vehicles (id integer NOT NULL, wheels integer, CONSTRAINT vehicles_wheels_check CHECK (wheels >= 0));
CREATE TABLE cars (plate text) INHERITS (vehicles);
CREATE TABLE bikes (frame text, CONSTRAINT vehicles_wheels_check CHECK (wheels >= 0)) INHERITS (vehicles);
