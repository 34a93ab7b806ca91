DROP VIEW public.item_view;

DROP VIEW public.priced;

ALTER TABLE public.items ALTER COLUMN price TYPE numeric(8,2) USING price::numeric(8,2);

CREATE VIEW public.item_view AS
 SELECT items.id,
    items.name
   FROM items;

CREATE VIEW public.priced AS
 SELECT items.id,
    items.price
   FROM items;

CREATE TRIGGER item_view_insert INSTEAD OF INSERT ON public.item_view FOR EACH ROW EXECUTE FUNCTION item_view_insert();

CREATE TRIGGER priced_insert INSTEAD OF INSERT ON public.priced FOR EACH ROW EXECUTE FUNCTION item_view_insert();
