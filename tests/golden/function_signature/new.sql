CREATE FUNCTION item_count(min_qty integer) RETURNS bigint LANGUAGE sql AS $$ SELECT min_qty::bigint $$;
CREATE FUNCTION label(item_id integer) RETURNS text LANGUAGE sql AS $$ SELECT item_id::text $$;
