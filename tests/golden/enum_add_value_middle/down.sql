-- DESTRUCTIVE: removes values 'idea', 'review' from enum public.status: rows holding them fail to convert
ALTER TYPE public.status RENAME TO status__retort_old;

CREATE TYPE public.status AS ENUM ('draft', 'published');

ALTER TABLE public.posts ALTER COLUMN status TYPE public.status USING status::text::public.status;

DROP TYPE public.status__retort_old;
