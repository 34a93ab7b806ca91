ALTER TABLE public.items ALTER COLUMN qty DROP DEFAULT;

-- Rewrites public.items and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- bigint, keep it in step with a trigger, backfill it in batches keyed by the primary key, move
-- readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.items ALTER COLUMN qty TYPE bigint USING qty::bigint;

ALTER TABLE public.items ALTER COLUMN qty SET DEFAULT 1;

-- Rewrites public.items and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- text, keep it in step with a trigger, backfill it in batches keyed by the primary key, move
-- readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.items ALTER COLUMN code TYPE text USING code::text;
