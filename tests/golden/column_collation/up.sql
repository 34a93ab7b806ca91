ALTER TABLE public.items ALTER COLUMN name TYPE text COLLATE "C";

ALTER TABLE public.items ALTER COLUMN code TYPE text COLLATE "default";
