ALTER TABLE public.logs ALTER COLUMN line SET STORAGE EXTENDED;

ALTER TABLE public.logs ALTER COLUMN line SET COMPRESSION default;

ALTER TABLE public.logs_eu ALTER COLUMN line SET COMPRESSION default;

ALTER TABLE public.notes ALTER COLUMN body SET STORAGE EXTENDED;

ALTER TABLE public.notes_private ALTER COLUMN secret SET COMPRESSION default;

ALTER TABLE public.notes_private ALTER COLUMN extra SET STORAGE MAIN;

-- DESTRUCTIVE: drops partition public.logs_us and its data
DROP TABLE public.logs_us;
