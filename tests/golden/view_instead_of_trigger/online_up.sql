DROP VIEW public.item_view;

DROP VIEW public.priced;

-- Rewrites public.items and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- numeric(10,2), keep it in step with a trigger, backfill it in batches keyed by the primary key,
-- move readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.items ALTER COLUMN price TYPE numeric(10,2) USING price::numeric(10,2);

CREATE VIEW public.item_view AS
 SELECT items.id,
    items.name
   FROM items
  WHERE (items.name IS NOT NULL);

CREATE VIEW public.priced AS
 SELECT items.id,
    items.price
   FROM items;

CREATE TRIGGER item_view_insert INSTEAD OF INSERT ON public.item_view FOR EACH ROW EXECUTE FUNCTION item_view_insert();

CREATE TRIGGER priced_insert INSTEAD OF INSERT ON public.priced FOR EACH ROW EXECUTE FUNCTION item_view_insert();
