-- Fails if public.metrics_cpu holds duplicates: the failed build leaves an INVALID index, which
-- the next `retort upgrade` drops before it builds again; remove the duplicates, then run it
-- again.
-- retort:lint-ignore adding-unique-index
CREATE UNIQUE INDEX CONCURRENTLY metrics_cpu_id_key ON public.metrics_cpu USING btree (id);

ALTER TABLE public.metrics_cpu ADD CONSTRAINT metrics_cpu_id_key UNIQUE USING INDEX metrics_cpu_id_key;

-- Fails if public.metrics_disk holds duplicates: the failed build leaves an INVALID index, which
-- the next `retort upgrade` drops before it builds again; remove the duplicates, then run it
-- again.
-- retort:lint-ignore adding-unique-index
CREATE UNIQUE INDEX CONCURRENTLY metrics_disk_pkey ON public.metrics_disk USING btree (id);

ALTER TABLE public.metrics_disk ADD CONSTRAINT metrics_disk_pkey PRIMARY KEY USING INDEX metrics_disk_pkey;

CREATE INDEX CONCURRENTLY metrics_cpu_at_idx ON public.metrics_cpu USING brin (at);
