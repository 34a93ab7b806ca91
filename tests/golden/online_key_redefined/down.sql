ALTER TABLE public.orders DROP CONSTRAINT orders_account_id_fkey;

ALTER TABLE public.accounts DROP CONSTRAINT accounts_code_key;

ALTER TABLE public.accounts DROP CONSTRAINT accounts_pkey;

ALTER TABLE public.accounts ADD CONSTRAINT accounts_code_key UNIQUE (code);

ALTER TABLE public.accounts ADD CONSTRAINT accounts_pkey PRIMARY KEY (id);

ALTER TABLE public.orders ADD CONSTRAINT orders_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts(id);
