CREATE TABLE bookings (id integer PRIMARY KEY, day date NOT NULL);
