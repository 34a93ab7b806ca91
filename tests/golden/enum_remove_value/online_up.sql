DROP VIEW public.published_posts;

-- DESTRUCTIVE: removes value 'review' from enum public.status: rows holding it fail to convert
-- Converts the columns of public.posts that use public.status under ACCESS EXCLUSIVE, a rewrite
-- unless binary coercible. Online, over several releases: a new column of the new type per column,
-- kept in step by a trigger and filled in batches, then switched to and the old one dropped.
ALTER TYPE public.status RENAME TO status__retort_old;

CREATE TYPE public.status AS ENUM ('draft', 'published');

-- retort:lint-ignore changing-column-type
ALTER TABLE public.posts ALTER COLUMN status DROP DEFAULT;

-- retort:lint-ignore changing-column-type
ALTER TABLE public.posts ALTER COLUMN status TYPE public.status USING status::text::public.status;

-- retort:lint-ignore changing-column-type
ALTER TABLE public.posts ALTER COLUMN history TYPE public.status[] USING history::text[]::public.status[];

DROP TYPE public.status__retort_old;

ALTER TABLE public.posts ALTER COLUMN status SET DEFAULT 'draft'::status;

CREATE VIEW public.published_posts AS
 SELECT posts.id
   FROM posts
  WHERE (posts.status = 'published'::status);

COMMENT ON TYPE public.status IS 'lifecycle';
