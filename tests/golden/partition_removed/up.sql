-- DESTRUCTIVE: drops partition public.events_asia and its data
DROP TABLE public.events_asia;
