ALTER TABLE public.accounts DROP CONSTRAINT accounts_email_key;

-- Fails if public.accounts holds duplicates: the failed build leaves an INVALID index, which the
-- next `retort upgrade` drops before it builds again; remove the duplicates, then run it again.
-- retort:lint-ignore adding-unique-index
CREATE UNIQUE INDEX CONCURRENTLY accounts_email_key ON public.accounts USING btree (tenant, email) NULLS NOT DISTINCT;

ALTER TABLE public.accounts ADD CONSTRAINT accounts_email_key UNIQUE USING INDEX accounts_email_key;
