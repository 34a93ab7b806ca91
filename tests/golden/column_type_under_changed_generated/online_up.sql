ALTER TABLE public.prices DROP COLUMN euros;

-- Rewrites public.prices and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- numeric(12,2), keep it in step with a trigger, backfill it in batches keyed by the primary key,
-- move readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.prices ALTER COLUMN cents TYPE numeric(12,2) USING cents::numeric(12,2);

-- Rewrites public.prices under ACCESS EXCLUSIVE: a stored generated column has no online form.
-- Online: a plain column filled in batches and kept current by a trigger.
-- retort:lint-ignore adding-generated-column
ALTER TABLE public.prices ADD COLUMN euros numeric GENERATED ALWAYS AS (round((cents / 100.0), 2)) STORED;
