-- DESTRUCTIVE: drops partition public.events_asia and its data
DROP TABLE public.events_asia;

-- DESTRUCTIVE: drops partition public.events_other and its data
DROP TABLE public.events_other;
