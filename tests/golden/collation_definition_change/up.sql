DROP COLLATION public.sort_numbers;

CREATE COLLATION public.sort_numbers (provider = icu, deterministic = false, locale = 'en-u-kn-true');
