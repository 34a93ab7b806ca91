CREATE FUNCTION item_count(min_qty integer) RETURNS integer LANGUAGE sql AS $$ SELECT min_qty $$;
CREATE FUNCTION label(id integer) RETURNS text LANGUAGE sql AS $$ SELECT id::text $$;
