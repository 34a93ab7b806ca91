CREATE EXTENSION citext WITH SCHEMA public VERSION '1.6';

ALTER TABLE public.users ALTER COLUMN email TYPE citext USING email::citext;

ALTER TABLE public.users ADD CONSTRAINT users_email_key UNIQUE (email);
