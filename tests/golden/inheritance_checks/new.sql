CREATE TABLE vehicles (id integer NOT NULL, wheels integer, CONSTRAINT vehicles_wheels_check CHECK (wheels >= 0), CONSTRAINT vehicles_id_check CHECK (id > 0), CONSTRAINT vehicles_only_check CHECK (wheels < 100) NO INHERIT);
CREATE TABLE cars (plate text, CONSTRAINT cars_plate_check CHECK (plate <> '')) INHERITS (vehicles);
CREATE TABLE bikes (frame text, CONSTRAINT vehicles_wheels_check CHECK (wheels >= 0)) INHERITS (vehicles);
CREATE TABLE trucks (axles integer, CONSTRAINT vehicles_id_check CHECK (id > 0)) INHERITS (vehicles);
