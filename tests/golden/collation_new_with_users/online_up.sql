CREATE COLLATION public.c_utf8 (provider = libc, lc_collate = 'C', lc_ctype = 'C.UTF-8');

CREATE COLLATION public.case_insensitive (provider = icu, deterministic = false, locale = 'und-u-ks-level2');

CREATE COLLATION public.german_phonebook (provider = icu, locale = 'de-u-co-phonebk');

CREATE DOMAIN public.email AS text COLLATE public.case_insensitive;

-- Rewrites public.people and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- text, keep it in step with a trigger, backfill it in batches keyed by the primary key, move
-- readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.people ALTER COLUMN name TYPE text COLLATE public.german_phonebook;

ALTER TABLE public.people ADD COLUMN email email;

ALTER TABLE public.people ADD COLUMN code text COLLATE public.c_utf8;

CREATE INDEX CONCURRENTLY people_name_idx ON public.people USING btree (name COLLATE c_utf8);

COMMENT ON COLLATION public.german_phonebook IS 'sorts ä as ae';
