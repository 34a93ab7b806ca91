-- Renamed as the author asked (--rename, or yes at the prompt), which keeps the data. Application
-- code that still names public.items.quantity fails from the moment this commits: deploy the code
-- that uses the new name with it, or expand and contract instead (see `retort lint --rules`).
-- retort:lint-ignore renaming-column
ALTER TABLE public.items RENAME COLUMN quantity TO qty;

-- Renamed as the author asked (--rename, or yes at the prompt), which keeps the data. Application
-- code that still names public.items.title fails from the moment this commits: deploy the code
-- that uses the new name with it, or expand and contract instead (see `retort lint --rules`).
-- retort:lint-ignore renaming-column
ALTER TABLE public.items RENAME COLUMN title TO name;

ALTER INDEX public.items_title_lower_idx RENAME TO items_name_lower_idx;

ALTER TABLE public.items RENAME CONSTRAINT items_title_key TO items_name_key;

-- Rewrites public.items and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- integer, keep it in step with a trigger, backfill it in batches keyed by the primary key, move
-- readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.items ALTER COLUMN qty TYPE integer USING qty::integer;
