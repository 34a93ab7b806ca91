ALTER TABLE public.lines DROP COLUMN doubled;

-- Rewrites public.lines and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- bigint, keep it in step with a trigger, backfill it in batches keyed by the primary key, move
-- readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.lines ALTER COLUMN qty TYPE bigint USING qty::bigint;

-- Rewrites public.lines under ACCESS EXCLUSIVE: a stored generated column has no online form.
-- Online: a plain column filled in batches and kept current by a trigger.
-- retort:lint-ignore adding-generated-column
ALTER TABLE public.lines ADD COLUMN doubled bigint GENERATED ALWAYS AS ((qty * 2)) STORED;
