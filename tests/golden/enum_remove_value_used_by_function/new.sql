CREATE TYPE level AS ENUM ('low', 'high');
CREATE TABLE alerts (id integer PRIMARY KEY, level level NOT NULL);
CREATE FUNCTION is_urgent(l level) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT l = 'high' $$;
CREATE INDEX alerts_urgent_idx ON alerts (id) WHERE level = 'high';
CREATE VIEW urgent_alerts AS SELECT id FROM alerts WHERE is_urgent(level);
