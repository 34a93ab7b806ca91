-- Rewrites public.items and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- text, keep it in step with a trigger, backfill it in batches keyed by the primary key, move
-- readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.items ALTER COLUMN code TYPE text USING code::text;

-- Rewrites public.items and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- text, keep it in step with a trigger, backfill it in batches keyed by the primary key, move
-- readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.items ALTER COLUMN label TYPE text USING label::text;

-- Rewrites public.items and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- character varying(20), keep it in step with a trigger, backfill it in batches keyed by the
-- primary key, move readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.items ALTER COLUMN note TYPE character varying(20) USING note::character varying(20);

ALTER TABLE public.items ALTER COLUMN code SET STORAGE EXTERNAL;

ALTER TABLE public.items ALTER COLUMN label SET COMPRESSION lz4;

ALTER TABLE public.items ALTER COLUMN note SET STORAGE MAIN;
