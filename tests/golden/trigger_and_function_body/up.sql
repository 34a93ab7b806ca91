SET check_function_bodies = off;

DROP TRIGGER items_touch ON public.items;

CREATE OR REPLACE FUNCTION public.touch()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$ BEGIN NEW.updated := clock_timestamp(); RETURN NEW; END $function$;

CREATE TRIGGER items_touch BEFORE INSERT OR UPDATE OF name ON public.items FOR EACH ROW WHEN ((new.name IS NOT NULL)) EXECUTE FUNCTION touch();

COMMENT ON TRIGGER items_touch ON public.items IS 'keeps updated current';
