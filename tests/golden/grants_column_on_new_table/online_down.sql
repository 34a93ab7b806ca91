-- DESTRUCTIVE: drops column public.parent.total and its data
ALTER TABLE public.parent DROP COLUMN total;

-- DESTRUCTIVE: drops table public.child and its data
DROP TABLE public.child;
