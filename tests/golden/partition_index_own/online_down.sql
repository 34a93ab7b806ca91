ALTER TABLE public.metrics_cpu DROP CONSTRAINT metrics_cpu_id_key;

ALTER TABLE public.metrics_disk DROP CONSTRAINT metrics_disk_pkey;

DROP INDEX CONCURRENTLY public.metrics_cpu_at_idx;
