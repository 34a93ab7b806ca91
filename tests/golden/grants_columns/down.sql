REVOKE INSERT (id) ON TABLE public.accounts FROM golden_writer;

REVOKE UPDATE (email) ON TABLE public.accounts FROM golden_writer;

REVOKE UPDATE (balance) ON TABLE public.accounts FROM golden_writer;

GRANT UPDATE (email) ON TABLE public.accounts TO golden_writer;

-- DESTRUCTIVE: drops column public.accounts.nickname and its data
ALTER TABLE public.accounts DROP COLUMN nickname;
