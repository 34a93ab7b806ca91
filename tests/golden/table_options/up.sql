ALTER TABLE public.items RESET (autovacuum_enabled);

ALTER TABLE public.items SET (autovacuum_vacuum_scale_factor=0.05, fillfactor=70);
