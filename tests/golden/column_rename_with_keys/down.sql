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

ALTER TABLE public.items ALTER COLUMN qty TYPE integer USING qty::integer;
