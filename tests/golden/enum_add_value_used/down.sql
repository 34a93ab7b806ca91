-- DESTRUCTIVE: removes value 'new' from enum public.status: rows holding it fail to convert
ALTER TYPE public.status RENAME TO status__retort_old;

CREATE TYPE public.status AS ENUM ('draft', 'published');

ALTER TABLE public.posts ALTER COLUMN status DROP DEFAULT;

ALTER TABLE public.posts ALTER COLUMN status TYPE public.status USING status::text::public.status;

DROP TYPE public.status__retort_old;

ALTER TABLE public.posts ALTER COLUMN status SET DEFAULT 'draft'::status;
