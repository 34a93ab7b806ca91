ALTER TABLE public.logs DETACH PARTITION public.logs_2024;

-- DESTRUCTIVE: drops table public.logs, its partitions and their data
DROP TABLE public.logs;
