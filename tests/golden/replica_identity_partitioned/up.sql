ALTER TABLE public.measurements REPLICA IDENTITY FULL;

ALTER TABLE public.measurements_us REPLICA IDENTITY DEFAULT;

CREATE TABLE public.measurements_asia PARTITION OF public.measurements FOR VALUES IN ('asia');

ALTER TABLE public.measurements_asia REPLICA IDENTITY USING INDEX measurements_asia_pkey;

ALTER TABLE public.measurements_eu REPLICA IDENTITY USING INDEX measurements_eu_pkey;
