-- Fails if public.accounts holds duplicates: the failed build leaves an INVALID index, which the
-- next `retort upgrade` drops before it builds again; remove the duplicates, then run it again.
-- retort:lint-ignore adding-unique-index
CREATE UNIQUE INDEX CONCURRENTLY accounts_email_key__retort_new ON public.accounts USING btree (tenant, email) NULLS NOT DISTINCT;

-- The old key and the new one swapped in one statement (ACCESS EXCLUSIVE, briefly): the index
-- built above takes the constraint's name.
ALTER TABLE public.accounts DROP CONSTRAINT accounts_email_key, ADD CONSTRAINT accounts_email_key UNIQUE USING INDEX accounts_email_key__retort_new;
