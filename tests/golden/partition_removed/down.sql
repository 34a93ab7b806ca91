CREATE TABLE public.events_asia PARTITION OF public.events FOR VALUES IN ('asia');
