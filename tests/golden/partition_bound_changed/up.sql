ALTER TABLE public.events DETACH PARTITION public.events_us;

ALTER TABLE public.events ATTACH PARTITION public.events_us FOR VALUES IN ('us', 'ca');
