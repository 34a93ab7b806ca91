ALTER TABLE public.orders DROP CONSTRAINT orders_account_id_fkey;

-- Fails if public.accounts holds duplicates: the failed build leaves an INVALID index, which the
-- next `retort upgrade` drops before it builds again; remove the duplicates, then run it again.
-- retort:lint-ignore adding-unique-index
CREATE UNIQUE INDEX CONCURRENTLY accounts_code_key__retort_new ON public.accounts USING btree (code);

-- The old key and the new one swapped in one statement (ACCESS EXCLUSIVE, briefly): the index
-- built above takes the constraint's name.
ALTER TABLE public.accounts DROP CONSTRAINT accounts_code_key, ADD CONSTRAINT accounts_code_key UNIQUE USING INDEX accounts_code_key__retort_new;

-- Fails if public.accounts holds duplicates: the failed build leaves an INVALID index, which the
-- next `retort upgrade` drops before it builds again; remove the duplicates, then run it again.
-- retort:lint-ignore adding-unique-index
CREATE UNIQUE INDEX CONCURRENTLY accounts_pkey__retort_new ON public.accounts USING btree (id);

-- The old key and the new one swapped in one statement (ACCESS EXCLUSIVE, briefly): the index
-- built above takes the constraint's name.
ALTER TABLE public.accounts DROP CONSTRAINT accounts_pkey, ADD CONSTRAINT accounts_pkey PRIMARY KEY USING INDEX accounts_pkey__retort_new;

-- Checked apart from the lock: NOT VALID now, VALIDATE below.
ALTER TABLE public.orders ADD CONSTRAINT orders_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts(id) NOT VALID;

ALTER TABLE public.orders VALIDATE CONSTRAINT orders_account_id_fkey;
