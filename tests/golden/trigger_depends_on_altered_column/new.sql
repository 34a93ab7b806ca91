CREATE TABLE items (id integer PRIMARY KEY, qty bigint, updated timestamptz);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated := now(); RETURN NEW; END $$;
CREATE TRIGGER items_touch BEFORE UPDATE OF qty ON items FOR EACH ROW WHEN (NEW.qty > 0) EXECUTE FUNCTION touch();
