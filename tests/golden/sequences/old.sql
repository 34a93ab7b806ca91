CREATE SEQUENCE ticket_seq;
CREATE SEQUENCE old_seq START 5;
CREATE TABLE tickets (id integer PRIMARY KEY, n integer);
