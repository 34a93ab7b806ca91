CREATE TABLE notes (id integer NOT NULL, note_class integer NOT NULL, subject text, body text);
