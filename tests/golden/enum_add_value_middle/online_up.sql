ALTER TYPE public.status ADD VALUE 'idea' BEFORE 'draft';

ALTER TYPE public.status ADD VALUE 'review' AFTER 'draft';
