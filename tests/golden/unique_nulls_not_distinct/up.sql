ALTER TABLE public.accounts DROP CONSTRAINT accounts_email_key;

ALTER TABLE public.accounts ADD CONSTRAINT accounts_email_key UNIQUE NULLS NOT DISTINCT (tenant, email);
