DROP INDEX CONCURRENTLY public.items_total_idx;

-- DESTRUCTIVE: drops column public.items.total and adds it again as a generated column (PostgreSQL 15 cannot change a generation expression)
-- Rewrites public.items under ACCESS EXCLUSIVE: PostgreSQL 15 cannot change a generation
-- expression in place, and a stored generated column has no online form.
-- retort:lint-ignore adding-generated-column
ALTER TABLE public.items DROP COLUMN total;

-- retort:lint-ignore adding-generated-column
ALTER TABLE public.items ADD COLUMN total numeric GENERATED ALWAYS AS (((price * (qty)::numeric) * 1.2)) STORED;

CREATE INDEX CONCURRENTLY items_total_idx ON public.items USING btree (total);
