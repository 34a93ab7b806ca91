DO $$ BEGIN CREATE ROLE golden_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE TABLE jobs (id bigint NOT NULL, queue text NOT NULL, payload jsonb) PARTITION BY LIST (lower(queue));
CREATE TABLE jobs_mail PARTITION OF jobs FOR VALUES IN ('mail');
CREATE INDEX jobs_mail_payload_idx ON jobs_mail USING gin (payload);
CREATE FUNCTION jobs_touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER jobs_mail_touch BEFORE INSERT ON jobs_mail FOR EACH ROW EXECUTE FUNCTION jobs_touch();
GRANT SELECT ON jobs_mail TO golden_reader;
COMMENT ON TABLE jobs_mail IS 'mail jobs';
