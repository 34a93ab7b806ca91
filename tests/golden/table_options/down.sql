ALTER TABLE public.items RESET (autovacuum_vacuum_scale_factor);

ALTER TABLE public.items SET (autovacuum_enabled=false, fillfactor=90);
