DROP INDEX public.items_total_idx;

-- DESTRUCTIVE: drops column public.items.total and adds it again as a generated column (PostgreSQL 15 cannot change a generation expression)
ALTER TABLE public.items DROP COLUMN total;

ALTER TABLE public.items ADD COLUMN total numeric GENERATED ALWAYS AS ((price * (qty)::numeric)) STORED;

CREATE INDEX items_total_idx ON public.items USING btree (total);
