CREATE COLLATION public.german_phonebook (provider = icu, locale = 'de-u-co-phonebk');

-- Rewrites public.people and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- text, keep it in step with a trigger, backfill it in batches keyed by the primary key, move
-- readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.people ALTER COLUMN name TYPE text COLLATE public.german_phonebook;
