DROP VIEW public.published_posts;

-- DESTRUCTIVE: removes value 'review' from enum public.status: rows holding it fail to convert
CREATE TYPE public.status__retort_new AS ENUM ('draft', 'published');

ALTER TABLE public.posts ALTER COLUMN status DROP DEFAULT;

ALTER TABLE public.posts ALTER COLUMN status TYPE public.status__retort_new USING status::text::public.status__retort_new;

ALTER TABLE public.posts ALTER COLUMN history TYPE public.status__retort_new[] USING history::text[]::public.status__retort_new[];

DROP TYPE public.status;

ALTER TYPE public.status__retort_new RENAME TO status;

ALTER TABLE public.posts ALTER COLUMN status SET DEFAULT 'draft'::status;

CREATE VIEW public.published_posts AS
 SELECT posts.id
   FROM posts
  WHERE (posts.status = 'published'::status);

COMMENT ON TYPE public.status IS 'lifecycle';
