CREATE TABLE base (id integer NOT NULL, created timestamptz DEFAULT now());
CREATE TABLE child (extra text) INHERITS (base);
CREATE TABLE other (id integer NOT NULL, created timestamptz DEFAULT now());
