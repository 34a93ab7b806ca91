ALTER TYPE public.status ADD VALUE 'review' AFTER 'draft';
