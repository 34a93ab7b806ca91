-- DESTRUCTIVE: drops partition public.events_eu and its data
DROP TABLE public.events_eu;

-- DESTRUCTIVE: drops partition public.events_us and its data
DROP TABLE public.events_us;

-- DESTRUCTIVE: drops partition public.events_us_sub_low and its data
DROP TABLE public.events_us_sub_low;

-- DESTRUCTIVE: drops partition public.events_us_sub and its data
DROP TABLE public.events_us_sub;

-- DESTRUCTIVE: drops table public.events and its data
DROP TABLE public.events;
