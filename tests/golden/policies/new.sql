DO $$ BEGIN CREATE ROLE golden_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE golden_writer; EXCEPTION WHEN duplicate_object THEN NULL; END $$;

CREATE TABLE notes (id integer PRIMARY KEY, owner text NOT NULL, body text);
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY notes_owner ON notes FOR SELECT TO golden_reader, golden_writer USING (owner = current_user OR body IS NULL);
CREATE POLICY notes_insert ON notes AS RESTRICTIVE FOR INSERT WITH CHECK (owner = current_user);
CREATE POLICY notes_update ON notes FOR UPDATE USING (owner = current_user) WITH CHECK (body IS NOT NULL);
COMMENT ON POLICY notes_update ON notes IS 'owners edit';
