CREATE TABLE public.events_asia PARTITION OF public.events FOR VALUES IN ('asia', 'apac');

CREATE TABLE public.events_other PARTITION OF public.events DEFAULT;
