CREATE COLLATION public.german_phonebook (provider = icu, locale = 'de-u-co-phonebk');

ALTER TABLE public.people ALTER COLUMN name TYPE text COLLATE public.german_phonebook;
