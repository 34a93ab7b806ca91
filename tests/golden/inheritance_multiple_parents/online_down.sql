ALTER TABLE public.owned DROP CONSTRAINT owned_owner_check;

ALTER TABLE public.posts NO INHERIT public.owned;

ALTER TABLE public.posts DROP CONSTRAINT owned_owner_check;

-- DESTRUCTIVE: drops table public.comments and its data
DROP TABLE public.comments;
