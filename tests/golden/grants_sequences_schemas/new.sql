DO $$ BEGIN CREATE ROLE golden_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE golden_writer; EXCEPTION WHEN duplicate_object THEN NULL; END $$;

CREATE SCHEMA app;
CREATE SCHEMA reports;
CREATE SEQUENCE app.ticket_seq;
CREATE SEQUENCE counter_seq;
GRANT USAGE, CREATE ON SCHEMA app TO golden_writer;
GRANT USAGE ON SCHEMA reports TO golden_reader;
REVOKE USAGE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SEQUENCE app.ticket_seq TO golden_writer;
GRANT SELECT ON SEQUENCE counter_seq TO golden_reader;
