CREATE TABLE base (id integer NOT NULL, created timestamptz DEFAULT now(), note text);
CREATE TABLE child (extra text) INHERITS (base);
CREATE TABLE other (id integer NOT NULL, created timestamptz DEFAULT now(), note text);
ALTER TABLE other INHERIT base;
