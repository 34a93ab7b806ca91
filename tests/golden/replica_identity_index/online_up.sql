ALTER TABLE public.tags REPLICA IDENTITY FULL;

DROP INDEX CONCURRENTLY public.sessions_id_key;

-- Fails if public.accounts holds duplicates: the failed build leaves an INVALID index, which the
-- next `retort upgrade` drops before it builds again; remove the duplicates, then run it again.
-- retort:lint-ignore adding-unique-index
CREATE UNIQUE INDEX CONCURRENTLY accounts_email_key ON public.accounts USING btree (email);

-- Fails if public.sessions holds duplicates: the failed build leaves an INVALID index, which the
-- next `retort upgrade` drops before it builds again; remove the duplicates, then run it again.
-- retort:lint-ignore adding-unique-index
CREATE UNIQUE INDEX CONCURRENTLY sessions_token_key ON public.sessions USING btree (token);

ALTER TABLE public.accounts REPLICA IDENTITY USING INDEX accounts_email_key;

ALTER TABLE public.sessions REPLICA IDENTITY USING INDEX sessions_token_key;
