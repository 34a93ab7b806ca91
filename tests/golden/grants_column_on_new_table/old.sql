DO $$ BEGIN CREATE ROLE golden_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE TABLE parent (id integer PRIMARY KEY, note text);
