ALTER TABLE public.accounts DROP CONSTRAINT accounts_self_fkey;

ALTER TABLE public.ledger DROP CONSTRAINT ledger_account_code_fkey;

-- Fails if public.accounts holds duplicates: the failed build leaves an INVALID index, which the
-- next `retort upgrade` drops before it builds again; remove the duplicates, then run it again.
-- retort:lint-ignore adding-unique-index
CREATE UNIQUE INDEX CONCURRENTLY accounts_code_key__retort_new ON public.accounts USING btree (code) WITH (fillfactor='90');

-- The old key and the new one swapped in one statement (ACCESS EXCLUSIVE, briefly): the index
-- built above takes the constraint's name.
ALTER TABLE public.accounts DROP CONSTRAINT accounts_code_key, ADD CONSTRAINT accounts_code_key UNIQUE USING INDEX accounts_code_key__retort_new;

-- Checked apart from the lock: NOT VALID now, VALIDATE below.
ALTER TABLE public.accounts ADD CONSTRAINT accounts_self_fkey FOREIGN KEY (code) REFERENCES accounts(code) DEFERRABLE NOT VALID;

ALTER TABLE public.accounts VALIDATE CONSTRAINT accounts_self_fkey;

-- Checked apart from the lock: NOT VALID now, VALIDATE below.
ALTER TABLE public.ledger ADD CONSTRAINT ledger_account_code_fkey FOREIGN KEY (account_code) REFERENCES accounts(code) NOT VALID;

ALTER TABLE public.ledger VALIDATE CONSTRAINT ledger_account_code_fkey;
