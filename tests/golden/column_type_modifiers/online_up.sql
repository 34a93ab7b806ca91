-- Rewrites public.products and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- character varying(100), keep it in step with a trigger, backfill it in batches keyed by the
-- primary key, move readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.products ALTER COLUMN name TYPE character varying(100) USING name::character varying(100);

-- Rewrites public.products and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- numeric(12,4), keep it in step with a trigger, backfill it in batches keyed by the primary key,
-- move readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.products ALTER COLUMN price TYPE numeric(12,4) USING price::numeric(12,4);

-- Rewrites public.products and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- timestamp(6) without time zone, keep it in step with a trigger, backfill it in batches keyed by
-- the primary key, move readers and writers to it, then drop the old column and rename the new
-- one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.products ALTER COLUMN created_at TYPE timestamp(6) without time zone USING created_at::timestamp(6) without time zone;

-- Rewrites public.products and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- time with time zone, keep it in step with a trigger, backfill it in batches keyed by the primary
-- key, move readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.products ALTER COLUMN stamp TYPE time with time zone USING stamp::time with time zone;

-- Rewrites public.products and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- character(8), keep it in step with a trigger, backfill it in batches keyed by the primary key,
-- move readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.products ALTER COLUMN code TYPE character(8) USING code::character(8);

-- Rewrites public.products and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type bit
-- varying(32), keep it in step with a trigger, backfill it in batches keyed by the primary key,
-- move readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.products ALTER COLUMN raw TYPE bit varying(32) USING raw::bit varying(32);

-- Rewrites public.products and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- interval day to second(3), keep it in step with a trigger, backfill it in batches keyed by the
-- primary key, move readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.products ALTER COLUMN span TYPE interval day to second(3) USING span::interval day to second(3);

-- Rewrites public.products and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- numeric(20,0), keep it in step with a trigger, backfill it in batches keyed by the primary key,
-- move readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.products ALTER COLUMN amount TYPE numeric(20,0) USING amount::numeric(20,0);
