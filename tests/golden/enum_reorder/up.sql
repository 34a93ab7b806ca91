CREATE TYPE public.priority__retort_new AS ENUM ('low', 'medium', 'high');

ALTER TABLE public.tasks ALTER COLUMN priority TYPE public.priority__retort_new USING priority::text::public.priority__retort_new;

DROP TYPE public.priority;

ALTER TYPE public.priority__retort_new RENAME TO priority;
