CREATE TYPE public.status_v1 AS ENUM ('new', 'done');

ALTER TABLE public.tasks ALTER COLUMN status DROP DEFAULT;

ALTER TABLE public.tasks ALTER COLUMN status TYPE status_v1 USING status::text::status_v1;

ALTER TABLE public.tasks ALTER COLUMN status SET DEFAULT 'new'::status_v1;

DROP TYPE public.status_v2;
