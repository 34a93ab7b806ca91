-- Renamed as the author asked (--rename, or yes at the prompt), which keeps the data. Application
-- code that still names public.items.name fails from the moment this commits: deploy the code that
-- uses the new name with it, or expand and contract instead (see `retort lint --rules`).
-- retort:lint-ignore renaming-column
ALTER TABLE public.items RENAME COLUMN name TO title;

-- Renamed as the author asked (--rename, or yes at the prompt), which keeps the data. Application
-- code that still names public.items.qty fails from the moment this commits: deploy the code that
-- uses the new name with it, or expand and contract instead (see `retort lint --rules`).
-- retort:lint-ignore renaming-column
ALTER TABLE public.items RENAME COLUMN qty TO quantity;

ALTER INDEX public.items_name_lower_idx RENAME TO items_title_lower_idx;

ALTER TABLE public.items RENAME CONSTRAINT items_name_key TO items_title_key;

ALTER TABLE public.items ALTER COLUMN quantity TYPE bigint USING quantity::bigint;
