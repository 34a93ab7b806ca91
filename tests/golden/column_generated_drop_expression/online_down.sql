-- DESTRUCTIVE: drops column public.items.doubled and adds it again as a generated column (PostgreSQL 15 cannot change a generation expression)
-- Rewrites public.items under ACCESS EXCLUSIVE: PostgreSQL 15 cannot change a generation
-- expression in place, and a stored generated column has no online form.
-- retort:lint-ignore adding-generated-column
ALTER TABLE public.items DROP COLUMN doubled;

-- retort:lint-ignore adding-generated-column
ALTER TABLE public.items ADD COLUMN doubled numeric GENERATED ALWAYS AS ((price * (2)::numeric)) STORED;
