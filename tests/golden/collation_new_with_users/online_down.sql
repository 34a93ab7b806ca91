DROP INDEX CONCURRENTLY public.people_name_idx;

-- Rewrites public.people and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- text, keep it in step with a trigger, backfill it in batches keyed by the primary key, move
-- readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.people ALTER COLUMN name TYPE text COLLATE "default";

-- DESTRUCTIVE: drops column public.people.email and its data
ALTER TABLE public.people DROP COLUMN email;

-- DESTRUCTIVE: drops column public.people.code and its data
ALTER TABLE public.people DROP COLUMN code;

DROP DOMAIN public.email;

DROP COLLATION public.c_utf8;

DROP COLLATION public.case_insensitive;

DROP COLLATION public.german_phonebook;
