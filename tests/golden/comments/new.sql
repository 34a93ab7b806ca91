CREATE SCHEMA app;
CREATE TYPE app.mood AS ENUM ('ok');
CREATE TABLE app.items (id integer CONSTRAINT items_pkey PRIMARY KEY, name text);
CREATE INDEX items_name_idx ON app.items (name);
CREATE VIEW app.item_names AS SELECT name FROM app.items;
CREATE FUNCTION app.f() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;
CREATE SEQUENCE app.counter;

COMMENT ON SCHEMA app IS 'the application';
COMMENT ON TYPE app.mood IS 'moods';
COMMENT ON COLUMN app.items.name IS 'display name';
COMMENT ON CONSTRAINT items_pkey ON app.items IS 'the key';
COMMENT ON VIEW app.item_names IS 'names only';
COMMENT ON COLUMN app.item_names.name IS 'the name';
COMMENT ON FUNCTION app.f() IS 'one';
COMMENT ON SEQUENCE app.counter IS 'counts';
