SET check_function_bodies = off;

DROP TRIGGER items_touch ON public.items;

CREATE OR REPLACE FUNCTION public.touch()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$ BEGIN NEW.updated := now(); RETURN NEW; END $function$;

CREATE TRIGGER items_touch BEFORE UPDATE ON public.items FOR EACH ROW EXECUTE FUNCTION touch();
