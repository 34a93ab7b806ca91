-- Converts the columns of public.items that use public.code under ACCESS EXCLUSIVE, a rewrite
-- unless binary coercible. Online, over several releases: a new column of the new type per column,
-- kept in step by a trigger and filled in batches, then switched to and the old one dropped.
CREATE DOMAIN public.code__retort_new AS text COLLATE "C";

-- retort:lint-ignore changing-column-type
ALTER TABLE public.items ALTER COLUMN code TYPE public.code__retort_new USING code::public.code__retort_new;

DROP DOMAIN public.code;

ALTER DOMAIN public.code__retort_new RENAME TO code;

CREATE DOMAIN public.email AS text
    CONSTRAINT email_check CHECK ((VALUE ~~ '%@%'::text));

ALTER DOMAIN public.positive DROP CONSTRAINT positive_check;

ALTER DOMAIN public.positive SET DEFAULT 1;

ALTER DOMAIN public.positive SET NOT NULL;

ALTER DOMAIN public.positive ADD CONSTRAINT positive_check CHECK ((VALUE >= 1));

ALTER DOMAIN public.positive ADD CONSTRAINT positive_small CHECK ((VALUE < 1000000));

ALTER TABLE public.items ADD COLUMN contact email;

COMMENT ON DOMAIN public.email IS 'an address';
