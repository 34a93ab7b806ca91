SET check_function_bodies = off;

DROP VIEW public.happy_people;

DROP FUNCTION public.cheer(m mood);

DROP FUNCTION public.is_best(g good_mood);

DROP INDEX CONCURRENTLY public.people_happy_idx;

-- Converts the columns of public.people that use public.mood under ACCESS EXCLUSIVE, a rewrite
-- unless binary coercible. Online, over several releases: a new column of the new type per column,
-- kept in step by a trigger and filled in batches, then switched to and the old one dropped.
ALTER TYPE public.mood RENAME TO mood__retort_old;

CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'meh', 'happy');

-- retort:lint-ignore changing-column-type
ALTER TABLE public.people ALTER COLUMN current DROP DEFAULT;

-- retort:lint-ignore changing-column-type
ALTER TABLE public.people ALTER COLUMN history DROP DEFAULT;

-- retort:lint-ignore changing-column-type
ALTER TABLE public.people ALTER COLUMN current TYPE public.mood USING current::text::public.mood;

-- retort:lint-ignore changing-column-type
ALTER TABLE public.people ALTER COLUMN history TYPE public.mood[] USING history::text[]::public.mood[];

ALTER DOMAIN public.good_mood RENAME TO good_mood__retort_old;

CREATE DOMAIN public.good_mood AS mood DEFAULT 'happy'::mood NOT NULL
    CONSTRAINT good_mood_check CHECK ((VALUE <> 'sad'::mood));

-- retort:lint-ignore changing-column-type
ALTER TABLE public.people ALTER COLUMN best TYPE public.good_mood USING best::text::public.good_mood;

-- retort:lint-ignore changing-column-type
ALTER TABLE public.people ALTER COLUMN past TYPE public.good_mood[] USING past::text[]::public.good_mood[];

DROP DOMAIN public.good_mood__retort_old;

ALTER DOMAIN public.moods RENAME TO moods__retort_old;

CREATE DOMAIN public.moods AS mood[];

-- retort:lint-ignore changing-column-type
ALTER TABLE public.people ALTER COLUMN seen TYPE public.moods USING seen::text::public.moods;

DROP DOMAIN public.moods__retort_old;

DROP TYPE public.mood__retort_old;

CREATE OR REPLACE FUNCTION public.cheer(m mood)
 RETURNS good_mood
 LANGUAGE sql
AS $function$ SELECT 'happy'::good_mood $function$;

CREATE OR REPLACE FUNCTION public.is_best(g good_mood)
 RETURNS boolean
 LANGUAGE sql
AS $function$ SELECT g::mood = 'happy' $function$;

ALTER TABLE public.people ALTER COLUMN current SET DEFAULT 'ok'::mood;

ALTER TABLE public.people ALTER COLUMN history SET DEFAULT ARRAY['ok'::mood];

CREATE INDEX CONCURRENTLY people_happy_idx ON public.people USING btree (id) WHERE (current = 'happy'::mood);

CREATE VIEW public.happy_people AS
 SELECT people.id,
    people.best
   FROM people
  WHERE (people.current = 'happy'::mood);

COMMENT ON DOMAIN public.good_mood IS 'never sad';
