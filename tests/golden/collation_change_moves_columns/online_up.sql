DROP VIEW public.sorted_people;

DROP INDEX CONCURRENTLY public.people_name_idx;

-- Converts the columns of public.people that use public.names under ACCESS EXCLUSIVE, a rewrite
-- unless binary coercible. Online, over several releases: a new column of the new type per column,
-- kept in step by a trigger and filled in batches, then switched to and the old one dropped.
ALTER COLLATION public.names RENAME TO names__retort_old;

CREATE COLLATION public.names (provider = icu, locale = 'sv');

-- retort:lint-ignore changing-column-type
ALTER TABLE public.people ALTER COLUMN name TYPE text COLLATE public.names;

-- Rewrites public.people and rebuilds its indexes under ACCESS EXCLUSIVE (unless the types are
-- binary coercible). Online, over several releases (expand and contract): add a column of type
-- text, keep it in step with a trigger, backfill it in batches keyed by the primary key, move
-- readers and writers to it, then drop the old column and rename the new one.
-- retort:lint-ignore changing-column-type
ALTER TABLE public.people ALTER COLUMN nickname TYPE text COLLATE "default";

CREATE INDEX CONCURRENTLY people_name_idx ON public.people USING btree (name);

CREATE VIEW public.sorted_people AS
 SELECT people.id,
    people.name
   FROM people
  ORDER BY people.name;

COMMENT ON COLLATION public.names IS 'Swedish order';

DROP COLLATION public.names__retort_old;
