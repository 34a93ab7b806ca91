DROP COLLATION public.sort_numbers;

CREATE COLLATION public.sort_numbers (provider = icu, locale = 'en-u-kn-true');
