DO $$ BEGIN CREATE ROLE golden_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE TABLE parent (id integer PRIMARY KEY, note text, total integer GENERATED ALWAYS AS (id * 2) STORED);
CREATE TABLE child (id integer PRIMARY KEY, label text);
GRANT SELECT (id, label), REFERENCES (id) ON child TO golden_reader;
GRANT SELECT (total) ON parent TO golden_reader;
