COMMENT ON SCHEMA app IS 'the application';

COMMENT ON TYPE app.mood IS 'moods';

COMMENT ON SEQUENCE app.counter IS 'counts';

COMMENT ON COLUMN app.items.name IS 'display name';

COMMENT ON TABLE app.items IS NULL;

COMMENT ON CONSTRAINT items_pkey ON app.items IS 'the key';

COMMENT ON VIEW app.item_names IS 'names only';

COMMENT ON COLUMN app.item_names.name IS 'the name';

COMMENT ON INDEX app.items_name_idx IS NULL;

COMMENT ON FUNCTION app.f() IS 'one';
