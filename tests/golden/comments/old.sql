CREATE SCHEMA app;
CREATE TYPE app.mood AS ENUM ('ok');
CREATE TABLE app.items (id integer CONSTRAINT items_pkey PRIMARY KEY, name text);
CREATE INDEX items_name_idx ON app.items (name);
CREATE VIEW app.item_names AS SELECT name FROM app.items;
CREATE FUNCTION app.f() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;
CREATE SEQUENCE app.counter;

COMMENT ON SCHEMA app IS 'the app';
COMMENT ON TABLE app.items IS 'items';
COMMENT ON COLUMN app.items.name IS 'old name comment';
COMMENT ON INDEX app.items_name_idx IS 'by name';
