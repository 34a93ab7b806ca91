COMMENT ON SCHEMA app IS 'the app';

COMMENT ON TYPE app.mood IS NULL;

COMMENT ON SEQUENCE app.counter IS NULL;

COMMENT ON COLUMN app.items.name IS 'old name comment';

COMMENT ON TABLE app.items IS 'items';

COMMENT ON CONSTRAINT items_pkey ON app.items IS NULL;

COMMENT ON VIEW app.item_names IS NULL;

COMMENT ON COLUMN app.item_names.name IS NULL;

COMMENT ON INDEX app.items_name_idx IS 'by name';

COMMENT ON FUNCTION app.f() IS NULL;
