DO $$ BEGIN CREATE ROLE golden_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE golden_writer; EXCEPTION WHEN duplicate_object THEN NULL; END $$;

CREATE TABLE notes (id integer PRIMARY KEY, owner text NOT NULL, body text);
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY notes_owner ON notes FOR SELECT USING (owner = current_user);
CREATE POLICY notes_old ON notes FOR DELETE TO golden_writer USING (false);
CREATE POLICY notes_insert ON notes FOR INSERT WITH CHECK (owner = current_user);
