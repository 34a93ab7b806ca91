ALTER TABLE public.prices DROP COLUMN euros;

-- Rewrites public.prices and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- integer, keep it in step with a trigger, backfill it in batches keyed by the primary key, move
-- readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.prices ALTER COLUMN cents TYPE integer USING cents::integer;

-- Rewrites public.prices under ACCESS EXCLUSIVE: a stored generated column has no online form.
-- Online: a plain column filled in batches and kept current by a trigger.
-- retort:lint-ignore adding-generated-column
ALTER TABLE public.prices ADD COLUMN euros numeric GENERATED ALWAYS AS (((cents)::numeric / 100.0)) STORED;
