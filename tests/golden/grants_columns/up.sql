ALTER TABLE public.accounts ADD COLUMN nickname text;

REVOKE UPDATE (email) ON TABLE public.accounts FROM golden_writer;

GRANT INSERT (id) ON TABLE public.accounts TO golden_writer;

GRANT UPDATE (email) ON TABLE public.accounts TO golden_writer WITH GRANT OPTION;

GRANT UPDATE (balance) ON TABLE public.accounts TO golden_writer WITH GRANT OPTION;

GRANT SELECT (nickname) ON TABLE public.accounts TO golden_reader;
