ALTER TABLE public.people ALTER COLUMN name TYPE text COLLATE "default";

DROP COLLATION public.german_phonebook;
