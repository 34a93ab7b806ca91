ALTER TABLE public.metrics_cpu ADD CONSTRAINT metrics_cpu_id_key UNIQUE (id);

ALTER TABLE public.metrics_disk ADD CONSTRAINT metrics_disk_pkey PRIMARY KEY (id);

CREATE INDEX metrics_cpu_at_idx ON public.metrics_cpu USING brin (at);
