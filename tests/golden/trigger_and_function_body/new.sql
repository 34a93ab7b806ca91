CREATE TABLE items (id integer PRIMARY KEY, name text, updated timestamptz);

CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated := clock_timestamp(); RETURN NEW; END $$;
CREATE TRIGGER items_touch BEFORE INSERT OR UPDATE OF name ON items FOR EACH ROW WHEN (NEW.name IS NOT NULL) EXECUTE FUNCTION touch();
COMMENT ON TRIGGER items_touch ON items IS 'keeps updated current';
