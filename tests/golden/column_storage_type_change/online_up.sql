-- Rewrites public.items and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- character varying(40), keep it in step with a trigger, backfill it in batches keyed by the
-- primary key, move readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.items ALTER COLUMN code TYPE character varying(40) USING code::character varying(40);

-- Rewrites public.items and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- character varying(80), keep it in step with a trigger, backfill it in batches keyed by the
-- primary key, move readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.items ALTER COLUMN label TYPE character varying(80) USING label::character varying(80);

-- Rewrites public.items and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- text, keep it in step with a trigger, backfill it in batches keyed by the primary key, move
-- readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.items ALTER COLUMN note TYPE text USING note::text;

ALTER TABLE public.items ALTER COLUMN label SET COMPRESSION lz4;

ALTER TABLE public.items ALTER COLUMN note SET STORAGE MAIN;
