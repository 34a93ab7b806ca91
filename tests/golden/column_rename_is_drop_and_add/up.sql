ALTER TABLE public.items ADD COLUMN name text;

-- DESTRUCTIVE: drops column public.items.title and its data
-- Probably a rename: public.items.name, which this migration adds, has the same type, collation,
-- NOT NULL, default and identity. If it is, autogenerate again with the flag below: ALTER TABLE
-- ... RENAME keeps the data this DROP destroys.
-- --rename public.items.title=name
ALTER TABLE public.items DROP COLUMN title;
