-- DESTRUCTIVE: drops column public.metrics.legacy and its data
ALTER TABLE public.metrics DROP COLUMN legacy;

ALTER TABLE public.metrics ATTACH PARTITION public.metrics_2 FOR VALUES IN (2);
