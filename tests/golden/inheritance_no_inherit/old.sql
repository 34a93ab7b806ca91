CREATE TABLE base (id integer NOT NULL, created timestamptz DEFAULT now(), CONSTRAINT base_id_check CHECK (id > 0));
CREATE TABLE leaving (id integer NOT NULL, created timestamptz DEFAULT now(), extra text, CONSTRAINT base_id_check CHECK (id > 0));
ALTER TABLE leaving INHERIT base;
CREATE TABLE joining (id integer NOT NULL, created timestamptz DEFAULT now(), extra text);
