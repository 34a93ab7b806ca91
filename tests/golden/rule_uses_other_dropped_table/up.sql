DROP RULE file_secondary_insert ON public.file_secondary;

-- DESTRUCTIVE: drops table public.file_links and its data
DROP TABLE public.file_links;

-- DESTRUCTIVE: drops table public.file_secondary and its data
DROP TABLE public.file_secondary;
