-- Rewrites public.products and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- character varying(50), keep it in step with a trigger, backfill it in batches keyed by the
-- primary key, move readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.products ALTER COLUMN name TYPE character varying(50) USING name::character varying(50);

-- Rewrites public.products and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- numeric(10,2), keep it in step with a trigger, backfill it in batches keyed by the primary key,
-- move readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.products ALTER COLUMN price TYPE numeric(10,2) USING price::numeric(10,2);

-- Rewrites public.products and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- timestamp(3) without time zone, keep it in step with a trigger, backfill it in batches keyed by
-- the primary key, move readers and writers to it, then drop the old column and rename the new
-- one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.products ALTER COLUMN created_at TYPE timestamp(3) without time zone USING created_at::timestamp(3) without time zone;

-- Rewrites public.products and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- time(2) with time zone, keep it in step with a trigger, backfill it in batches keyed by the
-- primary key, move readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.products ALTER COLUMN stamp TYPE time(2) with time zone USING stamp::time(2) with time zone;

-- Rewrites public.products and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- character(4), keep it in step with a trigger, backfill it in batches keyed by the primary key,
-- move readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.products ALTER COLUMN code TYPE character(4) USING code::character(4);

-- Rewrites public.products and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type bit
-- varying(16), keep it in step with a trigger, backfill it in batches keyed by the primary key,
-- move readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.products ALTER COLUMN raw TYPE bit varying(16) USING raw::bit varying(16);

-- Rewrites public.products and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- interval, keep it in step with a trigger, backfill it in batches keyed by the primary key, move
-- readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.products ALTER COLUMN span TYPE interval USING span::interval;

-- Rewrites public.products and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- numeric, keep it in step with a trigger, backfill it in batches keyed by the primary key, move
-- readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.products ALTER COLUMN amount TYPE numeric USING amount::numeric;
