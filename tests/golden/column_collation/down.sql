ALTER TABLE public.items ALTER COLUMN name TYPE text COLLATE "default";

ALTER TABLE public.items ALTER COLUMN code TYPE text COLLATE "C";
