ALTER TABLE public.accounts DROP CONSTRAINT accounts_self_fkey;

ALTER TABLE public.ledger DROP CONSTRAINT ledger_account_code_fkey;

ALTER TABLE public.accounts DROP CONSTRAINT accounts_code_key;

ALTER TABLE public.accounts ADD CONSTRAINT accounts_code_key UNIQUE (code);

ALTER TABLE public.accounts ADD CONSTRAINT accounts_self_fkey FOREIGN KEY (code) REFERENCES accounts(code) DEFERRABLE;

ALTER TABLE public.ledger ADD CONSTRAINT ledger_account_code_fkey FOREIGN KEY (account_code) REFERENCES accounts(code);
