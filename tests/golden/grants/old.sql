DO $$ BEGIN CREATE ROLE golden_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE golden_writer; EXCEPTION WHEN duplicate_object THEN NULL; END $$;

CREATE TABLE notes (id integer PRIMARY KEY, body text);
CREATE VIEW note_ids AS SELECT id FROM notes;
GRANT SELECT, INSERT ON notes TO golden_writer;
GRANT SELECT ON notes TO PUBLIC;
