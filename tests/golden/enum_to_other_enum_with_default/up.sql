CREATE TYPE public.status_v2 AS ENUM ('new', 'doing', 'done');

ALTER TABLE public.tasks ALTER COLUMN status DROP DEFAULT;

ALTER TABLE public.tasks ALTER COLUMN status TYPE status_v2 USING status::text::status_v2;

ALTER TABLE public.tasks ALTER COLUMN status SET DEFAULT 'doing'::status_v2;

DROP TYPE public.status_v1;
