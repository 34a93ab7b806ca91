DO $$ BEGIN CREATE ROLE golden_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE golden_writer; EXCEPTION WHEN duplicate_object THEN NULL; END $$;

CREATE TABLE accounts (id integer PRIMARY KEY, email text, secret text, balance numeric, nickname text);
GRANT SELECT (id, email, nickname) ON accounts TO golden_reader;
GRANT UPDATE (email, balance) ON accounts TO golden_writer WITH GRANT OPTION;
GRANT INSERT (id) ON accounts TO golden_writer;
