CREATE TABLE logs (id bigint NOT NULL, region text NOT NULL, line text, payload bytea) PARTITION BY LIST (region);
CREATE TABLE logs_eu PARTITION OF logs FOR VALUES IN ('eu');
CREATE TABLE notes (id integer, body text, extra text);
CREATE TABLE notes_private (secret text) INHERITS (notes);
ALTER TABLE notes_private ALTER COLUMN extra SET STORAGE MAIN;
