DROP INDEX public.people_name_idx;

ALTER TABLE public.people ALTER COLUMN name TYPE text COLLATE "default";

-- DESTRUCTIVE: drops column public.people.email and its data
ALTER TABLE public.people DROP COLUMN email;

-- DESTRUCTIVE: drops column public.people.code and its data
ALTER TABLE public.people DROP COLUMN code;

DROP DOMAIN public.email;

DROP COLLATION public.c_utf8;

DROP COLLATION public.case_insensitive;

DROP COLLATION public.german_phonebook;
