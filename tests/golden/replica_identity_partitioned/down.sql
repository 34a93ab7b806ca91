ALTER TABLE public.measurements REPLICA IDENTITY DEFAULT;

ALTER TABLE public.measurements_eu REPLICA IDENTITY DEFAULT;

ALTER TABLE public.measurements_us REPLICA IDENTITY FULL;

-- DESTRUCTIVE: drops partition public.measurements_asia and its data
DROP TABLE public.measurements_asia;
