ALTER TYPE public.status ADD VALUE 'new' BEFORE 'draft';

ALTER TABLE public.posts ALTER COLUMN status SET DEFAULT 'new'::status;
