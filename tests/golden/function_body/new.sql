CREATE FUNCTION add_tax(amount numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$ SELECT amount * 1.2 $$;
CREATE FUNCTION greet(who text) RETURNS text LANGUAGE plpgsql STABLE AS $$ BEGIN RETURN 'hi ' || who; END $$;
