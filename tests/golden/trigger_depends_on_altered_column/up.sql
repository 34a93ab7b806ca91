DROP TRIGGER items_touch ON public.items;

ALTER TABLE public.items ALTER COLUMN qty TYPE bigint USING qty::bigint;

CREATE TRIGGER items_touch BEFORE UPDATE OF qty ON public.items FOR EACH ROW WHEN ((new.qty > 0)) EXECUTE FUNCTION touch();
