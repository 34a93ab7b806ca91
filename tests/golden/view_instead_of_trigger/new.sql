CREATE TABLE items (id integer PRIMARY KEY, name text, price numeric(10,2));
CREATE VIEW item_view AS SELECT id, name FROM items WHERE name IS NOT NULL;
CREATE FUNCTION item_view_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO items (id, name) VALUES (NEW.id, NEW.name); RETURN NEW; END $$;
CREATE TRIGGER item_view_insert INSTEAD OF INSERT ON item_view FOR EACH ROW EXECUTE FUNCTION item_view_insert();
CREATE VIEW priced AS SELECT id, price FROM items;
CREATE TRIGGER priced_insert INSTEAD OF INSERT ON priced FOR EACH ROW EXECUTE FUNCTION item_view_insert();
