ALTER TABLE public.users DROP CONSTRAINT users_email_key;

ALTER TABLE public.users ALTER COLUMN email TYPE text USING email::text;

DROP EXTENSION citext;
