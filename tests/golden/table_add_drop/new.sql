CREATE TABLE new_things (id bigint PRIMARY KEY, label text NOT NULL, created timestamptz DEFAULT now() NOT NULL);
COMMENT ON TABLE new_things IS 'things, new style';
