-- DESTRUCTIVE: removes value 'new' from enum public.status: rows holding it fail to convert
CREATE TYPE public.status__retort_new AS ENUM ('draft', 'published');

ALTER TABLE public.posts ALTER COLUMN status DROP DEFAULT;

ALTER TABLE public.posts ALTER COLUMN status TYPE public.status__retort_new USING status::text::public.status__retort_new;

DROP TYPE public.status;

ALTER TYPE public.status__retort_new RENAME TO status;

ALTER TABLE public.posts ALTER COLUMN status SET DEFAULT 'draft'::status;
