ALTER TYPE public.priority RENAME TO priority__retort_old;

CREATE TYPE public.priority AS ENUM ('low', 'medium', 'high');

ALTER TABLE public.tasks ALTER COLUMN priority TYPE public.priority USING priority::text::public.priority;

DROP TYPE public.priority__retort_old;
