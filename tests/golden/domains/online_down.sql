-- Converts the columns of public.items that use public.code under ACCESS EXCLUSIVE, a rewrite
-- unless binary coercible. Online, over several releases: a new column of the new type per column,
-- kept in step by a trigger and filled in batches, then switched to and the old one dropped.
CREATE DOMAIN public.code__retort_new AS text;

-- retort:lint-ignore changing-column-type
ALTER TABLE public.items ALTER COLUMN code TYPE public.code__retort_new USING code::public.code__retort_new;

DROP DOMAIN public.code;

ALTER DOMAIN public.code__retort_new RENAME TO code;

ALTER DOMAIN public.positive DROP CONSTRAINT positive_check;

ALTER DOMAIN public.positive DROP CONSTRAINT positive_small;

ALTER DOMAIN public.positive DROP DEFAULT;

ALTER DOMAIN public.positive DROP NOT NULL;

ALTER DOMAIN public.positive ADD CONSTRAINT positive_check CHECK ((VALUE > 0));

-- DESTRUCTIVE: drops column public.items.contact and its data
ALTER TABLE public.items DROP COLUMN contact;

DROP DOMAIN public.email;
