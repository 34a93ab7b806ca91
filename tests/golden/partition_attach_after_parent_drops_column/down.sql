ALTER TABLE public.metrics DETACH PARTITION public.metrics_2;

ALTER TABLE public.metrics ADD COLUMN legacy text;
