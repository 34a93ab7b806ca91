CREATE TYPE public.status_v1 AS ENUM ('new', 'done');

ALTER TABLE public.tasks ALTER COLUMN status DROP DEFAULT;

-- Rewrites public.tasks and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- status_v1, keep it in step with a trigger, backfill it in batches keyed by the primary key, move
-- readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.tasks ALTER COLUMN status TYPE status_v1 USING status::text::status_v1;

ALTER TABLE public.tasks ALTER COLUMN status SET DEFAULT 'new'::status_v1;

DROP TYPE public.status_v2;
