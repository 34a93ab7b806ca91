ALTER TABLE public.items ADD COLUMN title text;

-- DESTRUCTIVE: drops column public.items.name and its data
-- Probably a rename: public.items.title, which this migration adds, has the same type, collation,
-- NOT NULL, default and identity. If it is, autogenerate again with the flag below: ALTER TABLE
-- ... RENAME keeps the data this DROP destroys.
-- --rename public.items.title=name
ALTER TABLE public.items DROP COLUMN name;
