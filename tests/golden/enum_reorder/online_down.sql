-- Converts the columns of public.tasks that use public.priority under ACCESS EXCLUSIVE, a rewrite
-- unless binary coercible. Online, over several releases: a new column of the new type per column,
-- kept in step by a trigger and filled in batches, then switched to and the old one dropped.
ALTER TYPE public.priority RENAME TO priority__retort_old;

CREATE TYPE public.priority AS ENUM ('high', 'low', 'medium');

-- retort:lint-ignore changing-column-type
ALTER TABLE public.tasks ALTER COLUMN priority TYPE public.priority USING priority::text::public.priority;

DROP TYPE public.priority__retort_old;
