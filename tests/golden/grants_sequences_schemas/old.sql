DO $$ BEGIN CREATE ROLE golden_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE golden_writer; EXCEPTION WHEN duplicate_object THEN NULL; END $$;

CREATE SCHEMA app;
CREATE SEQUENCE app.ticket_seq;
CREATE SEQUENCE counter_seq;
GRANT USAGE ON SCHEMA app TO golden_reader;
GRANT USAGE, SELECT ON SEQUENCE counter_seq TO golden_writer;
